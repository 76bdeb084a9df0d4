// The evaluator: an express app over a snapshot source, and a listener with graceful drain.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type Request, type RequestHandler } from "express";
import { TokenAuthenticator } from "./auth.ts";
import { FlagEvaluator } from "./evaluation.ts";
import { EventStore } from "./events.ts";
import { errorHandler, notFound, sendError } from "./http/errors.ts";
import { nativeRouter } from "./http/native.ts";
import { ofrepRouter } from "./http/ofrep.ts";
import { opsRouter } from "./http/ops.ts";
import { SnapshotStream } from "./http/stream.ts";
import { silentLogger, type Logger } from "./logger.ts";
import { createMetrics, observeSource, type EvaluatorMetrics } from "./metrics.ts";
import type { SnapshotSource } from "./sources/source.ts";
import type { Snapshot } from "../core/snapshot.ts";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface EvaluatorServerOptions {
  source: SnapshotSource;
  /** when given, every non-health endpoint needs one of these tokens */
  authTokens?: readonly string[];
  maxBodyBytes?: number;
  logger?: Logger;
  /** SSE heartbeat interval (default 15 s) */
  heartbeatMs?: number;
  events?: EventStore;
  /** how long close() waits for in-flight requests before cutting connections (default 10 s) */
  drainTimeoutMs?: number;
  /** process metrics (CPU, memory, event loop); on by default */
  defaultMetrics?: boolean;
}

export interface RunningEvaluator {
  port: number;
  /** stop accepting, finish in-flight requests, end streams, stop watching the source's events */
  close(): Promise<void>;
}

export interface EvaluatorServer {
  app: Express;
  metrics: EvaluatorMetrics;
  events: EventStore;
  listen(port: number, host?: string): Promise<RunningEvaluator>;
}

/** Times every request by route pattern (bounded labels) and counts error responses by code. */
function requestMetrics(metrics: EvaluatorMetrics): RequestHandler {
  const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
  return (req, res, next) => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.on("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      stop({ route, method: methods.has(req.method) ? req.method : "OTHER", status: String(res.statusCode) });
      if (typeof res.locals.errorCode === "string") metrics.httpRequestErrors.inc({ code: res.locals.errorCode });
    });
    next();
  };
}

function authenticate(tokens: readonly string[]): RequestHandler {
  const authenticator = new TokenAuthenticator(tokens);
  return (req, res, next) => {
    const decision = authenticator.check(req.headers);
    if (decision.ok) return next();
    if (decision.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="vexil"');
    sendError(res, decision.status, decision.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", decision.reason);
  };
}

export function createEvaluatorServer(options: EvaluatorServerOptions): EvaluatorServer {
  const { source } = options;
  const logger = options.logger ?? silentLogger();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const events = options.events ?? new EventStore();
  const evaluator = new FlagEvaluator(metrics);
  const stream = new SnapshotStream({ heartbeatMs: options.heartbeatMs ?? 15_000, metrics });
  const logError = (error: unknown, req: Request) =>
    logger.error({ err: error, method: req.method, path: req.path }, "request failed");
  let draining = false;

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false); // ETags are ours: snapshot hash, or snapshot hash + context
  app.use(requestMetrics(metrics));
  app.use((_req, res, next) => {
    if (draining) res.setHeader("Connection", "close"); // let keep-alive clients move on
    next();
  });
  app.use(opsRouter({ source, metrics, draining: () => draining }));
  if (options.authTokens !== undefined) app.use(authenticate(options.authTokens));
  app.use(ofrepRouter({ source, evaluator, maxBodyBytes, logError }));
  app.use(nativeRouter({ source, evaluator, events, stream, metrics, maxBodyBytes, logError }));
  app.use(notFound);
  app.use(errorHandler({ log: logError }));

  const unobserve = observeSource(metrics, source);
  const onChange = (snapshot: Snapshot) => {
    logger.info({ hash: snapshot.hash, flags: Object.keys(snapshot.flags).length }, "serving a new snapshot");
    stream.broadcast(snapshot);
  };
  source.on("change", onChange);

  const listen = async (port: number, host = "0.0.0.0"): Promise<RunningEvaluator> => {
    const server = await startListening(app, port, host);
    const close = async () => {
      draining = true;
      source.off("change", onChange);
      unobserve();
      stream.closeAll();
      await drain(server, options.drainTimeoutMs ?? 10_000);
    };
    return { port: (server.address() as AddressInfo).port, close };
  };

  return { app, metrics, events, listen };
}

function startListening(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/**
 * server.close() stops accepting and waits for in-flight requests. Keep-alive sockets are closed
 * as soon as they go idle (a request in flight when draining began leaves its socket open
 * otherwise, for the whole keep-alive timeout); after timeoutMs every socket is cut.
 */
function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    force.unref();
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
