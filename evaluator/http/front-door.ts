// The server's request listener. Every request is timed and counted here, and told to close
// its connection while the server drains. OFREP evaluations, the one hot path, go straight to
// their node:http handlers; everything else goes through express. On the benchmark, express
// and its body parser cost ~35 µs of CPU per evaluation request (prototype swaps on req/res,
// the router's layer walk, type-is, raw-body, res.json): more than node:http, the socket write
// and the evaluation together (~30 µs).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { admit, type TokenAuthenticator } from "../auth.ts";
import type { EvaluatorMetrics } from "../metrics.ts";
import { errorCodeOf } from "./errors.ts";
import type { OfrepEvaluationHandlers } from "./ofrep.ts";

export const SINGLE_ROUTE = "/ofrep/v1/evaluate/flags/:key";
export const BULK_ROUTE = "/ofrep/v1/evaluate/flags";
const SINGLE_PREFIX = "/ofrep/v1/evaluate/flags/";
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export interface FrontDoorOptions {
  /** the express app, for every request the fast path does not take */
  app: RequestListener;
  ofrep: OfrepEvaluationHandlers;
  metrics: EvaluatorMetrics;
  authenticator?: TokenAuthenticator;
  draining: () => boolean;
}

/**
 * The flag key of `POST /ofrep/v1/evaluate/flags/{key}`, "" for the bulk route, undefined for
 * any other request. Only the canonical spelling is taken; anything unusual (a trailing
 * slash, a query string, a key that does not decode) goes to express, which answers it the
 * same way or with its own 400.
 */
export function fastOfrepKey(method: string | undefined, url: string | undefined): string | undefined {
  if (method !== "POST" || url === undefined) return undefined;
  if (url === BULK_ROUTE) return "";
  if (!url.startsWith(SINGLE_PREFIX)) return undefined;
  const raw = url.slice(SINGLE_PREFIX.length);
  if (raw.length === 0 || raw.includes("/") || raw.includes("?")) return undefined;
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The route pattern express matched (bounded label values), or "unmatched". */
function expressRoute(req: IncomingMessage): string {
  const { route, baseUrl } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return route?.path ? `${baseUrl ?? ""}${String(route.path)}` : "unmatched";
}

export function frontDoor(options: FrontDoorOptions): RequestListener {
  const { app, ofrep, metrics, authenticator, draining } = options;
  const record = (route: string, req: IncomingMessage, res: ServerResponse, started: bigint) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const method = METHODS.has(req.method ?? "") ? (req.method as string) : "OTHER";
    metrics.observeRequest(route, method, res.statusCode, seconds);
    const code = errorCodeOf(res);
    if (code !== undefined) metrics.httpRequestErrors.inc({ code });
  };

  return async (req, res) => {
    const started = process.hrtime.bigint();
    if (draining()) res.setHeader("Connection", "close"); // let keep-alive clients move on
    const key = fastOfrepKey(req.method, req.url);
    if (key === undefined) {
      res.once("finish", () => record(expressRoute(req), req, res, started));
      app(req, res);
      return;
    }
    if (authenticator === undefined || admit(authenticator, req, res)) {
      await (key === "" ? ofrep.bulk(req, res) : ofrep.one(req, res, key));
    }
    record(key === "" ? BULK_ROUTE : SINGLE_ROUTE, req, res, started);
  };
}
