// The request body reader for every JSON endpoint. It replaces express.json(): the generic
// parser stack (type-is, content-type, raw-body, iconv, inflation) cost more CPU per OFREP
// evaluation than the evaluation itself. What it accepts is deliberately narrow: JSON as UTF-8,
// no content encoding, at most `limit` bytes. Everything else is a specific 4xx.
import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

/** application/json, or a JSON-based type such as application/merge-patch+json. */
function isJsonMediaType(mediaType: string): boolean {
  return mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
}

/** Throws 415 unless the Content-Type is JSON in UTF-8 and there is no Content-Encoding. */
export function checkJsonContentType(req: IncomingMessage): void {
  const header = req.headers["content-type"];
  const [mediaType = "", ...parameters] = (header ?? "").split(";");
  if (!isJsonMediaType(mediaType.trim().toLowerCase())) {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send the body as application/json, not ${header ?? "none"}`);
  }
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    const charset = value
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (name.trim().toLowerCase() === "charset" && charset !== "utf-8" && charset !== "utf8") {
      throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send the body as UTF-8, not charset ${charset}`);
    }
  }
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") {
    throw new HttpError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `content encoding "${encoding}" is not supported; send the body uncompressed`,
    );
  }
}

/** A request without a body: no length and no chunked transfer, or a declared length of 0. */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return length === "0" || (length === undefined && req.headers["transfer-encoding"] === undefined);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body is larger than the ${limit}-byte limit`);
}

/** Collects the body's bytes, failing as soon as they exceed `limit`. */
function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: HttpError | undefined) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onAbort);
      if (error) {
        req.resume(); // discard the rest so the response can still be written on this connection
        reject(error);
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onAbort = () =>
      finish(new HttpError(400, "PARSE_ERROR", "the request was aborted before its body was complete"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onAbort);
  });
}

/**
 * The parsed JSON body of `req`, or undefined when there is none (an empty body included).
 * 415 for a body that is not UTF-8 JSON, 413 beyond `limit` bytes (before reading when the
 * length is declared), 400 PARSE_ERROR for malformed JSON. Depth is the caller's to check:
 * JSON.parse itself does not recurse on the native stack.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (hasNoBody(req)) return undefined;
  checkJsonContentType(req);
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) throw tooLarge(limit);
  const bytes = await collect(req, limit);
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "PARSE_ERROR", `the request body is not valid JSON: ${(error as Error).message}`);
  }
}
