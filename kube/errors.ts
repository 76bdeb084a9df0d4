// HTTP status of a failed Kubernetes API call, whatever layer produced it: the generated
// clients throw ApiException (code), the Watch reports statusCode, a watch ERROR event
// carries a Status object (code).
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as { code?: unknown; statusCode?: unknown };
  if (typeof record.code === "number") return record.code;
  if (typeof record.statusCode === "number") return record.statusCode;
  return undefined;
}

export const isNotFound = (error: unknown): boolean => statusCodeOf(error) === 404;
export const isConflict = (error: unknown): boolean => statusCodeOf(error) === 409;
export const isAlreadyExists = (error: unknown): boolean => statusCodeOf(error) === 409;
export const isGone = (error: unknown): boolean => statusCodeOf(error) === 410;

/** One line for logs and status messages, without the response dump client-node puts in messages. */
export function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const body = (error as { body?: unknown }).body;
    const code = statusCodeOf(error);
    if (typeof body === "string") {
      try {
        const status = JSON.parse(body) as { message?: string };
        if (status.message) return code ? `${code}: ${status.message}` : status.message;
      } catch {
        // not JSON: fall through
      }
    }
    if (error instanceof Error) {
      const first = error.message.split("\n")[0] ?? error.message;
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return cause && !first.includes(cause) ? `${first} (${cause})` : first;
    }
    // a plain object, e.g. a Status from a watch ERROR event or an informer's error
    const { message } = error as { message?: unknown };
    return String(message ?? code ?? JSON.stringify(error));
  }
  return String(error);
}
