// Error responses. Every error body has the OFREP shape {key?, errorCode, errorDetails}, never a
// stack trace. They are written with node:http alone (express's Response is a ServerResponse),
// so the OFREP fast path and the express routes answer errors identically; `errorCodeOf` lets
// the request metrics count errors by code.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ErrorCode } from "../../core/evaluate/result.ts";

/** OFREP error codes plus the HTTP-level ones this service can answer with. */
export const HttpErrorCode = {
  ...ErrorCode,
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  NOT_FOUND: "NOT_FOUND",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  /** a non-evaluation body (events, native options) failed validation */
  INVALID_REQUEST: "INVALID_REQUEST",
  /** no event store configured, or the store is unreachable */
  EVENTS_UNAVAILABLE: "EVENTS_UNAVAILABLE",
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  readonly errorCode: HttpErrorCode;

  constructor(status: number, errorCode: HttpErrorCode, message: string) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** HTTP status for an evaluation error code, as the OFREP OpenAPI assigns them. */
export function statusForErrorCode(code: ErrorCode): number {
  switch (code) {
    case "FLAG_NOT_FOUND":
      return 404;
    case "PROVIDER_NOT_READY":
      return 503;
    case "GENERAL":
    case "PROVIDER_FATAL":
      return 500;
    default:
      return 400; // PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT, TYPE_MISMATCH
  }
}

const errorCodes = new WeakMap<ServerResponse, HttpErrorCode>();

/** The error code a response was answered with, if it was an error. */
export function errorCodeOf(res: ServerResponse): HttpErrorCode | undefined {
  return errorCodes.get(res);
}

/** Writes a complete JSON response; Content-Length is set by node:http from the body. */
export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  status: number,
  errorCode: HttpErrorCode,
  errorDetails: string,
  key?: string,
): void {
  errorCodes.set(res, errorCode);
  if (status === 503) res.setHeader("Retry-After", "1");
  sendJson(
    res,
    status,
    JSON.stringify(key === undefined ? { errorCode, errorDetails } : { key, errorCode, errorDetails }),
  );
}

/** Our own HttpErrors as they are; another 4xx (express's own, e.g. a malformed URL) keeps its status. */
function classify(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { status } = (error ?? {}) as { status?: number };
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new HttpError(status, "GENERAL", (error as Error).message ?? "bad request");
  }
  return new HttpError(500, "GENERAL", "internal error");
}

/** The answer to an error thrown while handling `req`; server faults are logged, never shown. */
export function sendThrown(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  options: { key?: string; log?: (error: unknown, req: IncomingMessage) => void },
): void {
  const httpError = classify(error);
  if (httpError.status >= 500) options.log?.(error, req);
  sendError(res, httpError.status, httpError.errorCode, httpError.message, options.key);
}

/**
 * Error handler. `withKey` adds the flag key from the route (single-flag OFREP errors carry it).
 * Server faults are logged with their stack but answered with "internal error" only.
 */
export function errorHandler(
  options: { withKey?: boolean; log?: (error: unknown, req: IncomingMessage) => void } = {},
) {
  const handler: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const key = options.withKey ? req.params.key : undefined;
    sendThrown(error, req, res, { key: typeof key === "string" ? key : undefined, log: options.log });
  };
  return handler;
}

/** 405 with Allow for a path that exists under other methods. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.includes("GET") && !allowed.includes("HEAD") ? [...allowed, "HEAD"] : allowed;
  return (req, res) => {
    res.setHeader("Allow", allow.join(", "));
    sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed here; use ${allowed.join(" or ")}`);
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, "NOT_FOUND", `no such endpoint: ${req.method} ${req.path}`);
};
