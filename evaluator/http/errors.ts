// Error responses. Every error body has the OFREP shape {key?, errorCode, errorDetails}, never a
// stack trace. `res.locals.errorCode` lets the request-metrics middleware count errors by code.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
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
  /** a non-evaluation body (events, native options) failed validation */
  INVALID_REQUEST: "INVALID_REQUEST",
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

export function sendError(
  res: Response,
  status: number,
  errorCode: HttpErrorCode,
  errorDetails: string,
  key?: string,
): void {
  res.locals.errorCode = errorCode;
  if (status === 503) res.setHeader("Retry-After", "1");
  res.status(status).json(key === undefined ? { errorCode, errorDetails } : { key, errorCode, errorDetails });
}

/** body-parser errors carry a `type`; map the ones a client can cause to a clear 4xx. */
function classify(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { type, status, limit } = (error ?? {}) as { type?: string; status?: number; limit?: number };
  switch (type) {
    case "entity.too.large":
      return new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body is larger than the ${limit}-byte limit`);
    case "entity.parse.failed":
      return new HttpError(400, "PARSE_ERROR", `the request body is not valid JSON: ${(error as Error).message}`);
    case "charset.unsupported":
    case "encoding.unsupported":
      return new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", (error as Error).message);
    case "request.aborted":
    case "request.size.invalid":
      return new HttpError(400, "PARSE_ERROR", (error as Error).message);
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new HttpError(status, "GENERAL", (error as Error).message ?? "bad request");
  }
  return new HttpError(500, "GENERAL", "internal error");
}

/**
 * Error handler. `withKey` adds the flag key from the route (single-flag OFREP errors carry it).
 * Server faults are logged with their stack but answered with "internal error" only.
 */
export function errorHandler(options: { withKey?: boolean; log?: (error: unknown, req: Request) => void } = {}) {
  const handler: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const httpError = classify(error);
    if (httpError.status >= 500) options.log?.(error, req);
    const key = options.withKey ? req.params.key : undefined;
    sendError(res, httpError.status, httpError.errorCode, httpError.message, typeof key === "string" ? key : undefined);
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
