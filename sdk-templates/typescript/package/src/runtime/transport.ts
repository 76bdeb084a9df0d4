// HTTP to the Vexil evaluator: auth headers, per-request timeouts, and the OFREP error body
// read into an OpenFeature error code (the body's errorCode is respected on every status).
export interface TransportOptions {
  /** the evaluator's base URL, e.g. http://vexil.shop.svc:8080 */
  baseUrl: string;
  /** sent as `Authorization: Bearer <token>` */
  token?: string;
  /** sent as `X-API-Key: <apiKey>` */
  apiKey?: string;
  /** extra headers on every request */
  headers?: Record<string, string>;
  /** per-request timeout in milliseconds (default 5000) */
  timeoutMs?: number;
}

export const ERROR_CODES = [
  "PROVIDER_NOT_READY",
  "FLAG_NOT_FOUND",
  "PARSE_ERROR",
  "TYPE_MISMATCH",
  "TARGETING_KEY_MISSING",
  "INVALID_CONTEXT",
  "PROVIDER_FATAL",
  "GENERAL",
] as const;
export type ErrorCodeName = (typeof ERROR_CODES)[number];

/** An evaluation that failed, with the OpenFeature error code it maps to. */
export interface Failure {
  errorCode: ErrorCodeName;
  errorMessage: string;
}

export interface HttpAnswer {
  status: number;
  etag: string | undefined;
  body: unknown;
}

export class Transport {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(options: TransportOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new Error(`baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
    }
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#headers = { ...options.headers };
    if (options.token !== undefined) this.#headers["Authorization"] = `Bearer ${options.token}`;
    if (options.apiKey !== undefined) this.#headers["X-API-Key"] = options.apiKey;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** POST a JSON body; answers every status (failures to connect or time out reject). */
  async post(path: string, body: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(this.#base + path, {
      method: "POST",
      headers: { ...this.#headers, "Content-Type": "application/json", ...extraHeaders },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return answerOf(response);
  }

  /** GET a JSON document (the snapshot); answers every status (failures to connect or time out reject). */
  async get(path: string, extraHeaders: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(this.#base + path, {
      headers: { ...this.#headers, Accept: "application/json", ...extraHeaders },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return answerOf(response);
  }

  /** Open a streaming GET (server-sent events); the caller reads and cancels the body. */
  async stream(path: string, signal: AbortSignal): Promise<Response> {
    const connect = AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    connect.addEventListener("abort", onAbort, { once: true });
    const response = await fetch(this.#base + path, {
      headers: { ...this.#headers, Accept: "text/event-stream" },
      signal: controller.signal,
    });
    // connected: from now on only the caller's signal ends the stream
    connect.removeEventListener("abort", onAbort);
    signal.addEventListener("abort", onAbort, { once: true });
    return response;
  }
}

async function answerOf(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, etag: response.headers.get("etag") ?? undefined, body: parsed };
}

function isErrorCode(value: unknown): value is ErrorCodeName {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** What a non-success answer means: the body's errorCode wins over the status. */
export function failureOf(answer: HttpAnswer): Failure {
  const body = answer.body as { errorCode?: unknown; errorDetails?: unknown } | undefined;
  const details = typeof body?.errorDetails === "string" ? body.errorDetails : `HTTP ${answer.status}`;
  if (isErrorCode(body?.errorCode)) return { errorCode: body.errorCode, errorMessage: details };
  if (answer.status === 404) return { errorCode: "FLAG_NOT_FOUND", errorMessage: details };
  if (answer.status === 401 || answer.status === 403) {
    return { errorCode: "GENERAL", errorMessage: `the evaluator refused the credentials (HTTP ${answer.status})` };
  }
  if (answer.status === 429) return { errorCode: "GENERAL", errorMessage: `rate limited by the evaluator: ${details}` };
  return { errorCode: "GENERAL", errorMessage: details };
}

export function failureOfError(error: unknown): Failure {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "TimeoutError") return { errorCode: "GENERAL", errorMessage: "the evaluator did not answer in time" };
  return { errorCode: "GENERAL", errorMessage: `the evaluator could not be reached: ${message}` };
}
