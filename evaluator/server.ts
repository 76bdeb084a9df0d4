// The evaluator: an express app over a snapshot source, and a listener with graceful drain.
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type RequestHandler } from "express";
import { admit, TokenAuthenticator } from "./auth.ts";
import { FlagEvaluator } from "./evaluation.ts";
import { ExperimentEvents } from "./experiments/pipeline.ts";
import { errorHandler, notFound } from "./http/errors.ts";
import { frontDoor } from "./http/front-door.ts";
import { experimentsRouter } from "./http/experiments.ts";
import { nativeRouter } from "./http/native.ts";
import { ofrepEvaluationHandlers, ofrepRouter } from "./http/ofrep.ts";
import { opsRouter } from "./http/ops.ts";
import { SnapshotStream } from "./http/stream.ts";
import { silentLogger, type Logger } from "./logger.ts";
import { createMetrics, observeSource, type EvaluatorMetrics } from "./metrics.ts";
import type { SnapshotSource } from "./sources/source.ts";
import type { Snapshot } from "../core/snapshot/snapshot.ts";
import type { EventStore } from "../event-store/store.ts";
import type { EventWriterOptions } from "../event-store/writer.ts";
import {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_SNAPSHOT_DOWNLOADS,
  DEFAULT_MAX_STREAM_CLIENTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  REQUEST_TIMEOUT_CHECK_MS,
} from "./limits.ts";
import { SnapshotDownloads } from "./http/snapshot-download.ts";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface EvaluatorServerOptions {
  source: SnapshotSource;
  /** when given, every non-health endpoint needs one of these tokens */
  authTokens?: readonly string[];
  maxBodyBytes?: number;
  logger?: Logger;
  /** SSE heartbeat interval (default 15 s) */
  heartbeatMs?: number;
  /**
   * Where exposures and posted events go (and /v1/experiments reads from). Without one, events
   * are answered 202 but ignored (reason no_event_store) and no exposures are recorded.
   */
  eventStore?: EventStore;
  /** bounds and batching of the in-memory event buffer */
  /** writer bounds, and how often usage rollups are handed to the writer (default 10 s) */
  eventBuffer?: EventWriterOptions & { usageFlushMs?: number };
  /** how long close() waits for in-flight requests before cutting connections (default 10 s) */
  drainTimeoutMs?: number;
  /** process metrics (CPU, memory, event loop); on by default */
  defaultMetrics?: boolean;
  /** headers and body must arrive within this time, else 408 (default 10 s) */
  requestTimeoutMs?: number;
  /** snapshot downloads in flight at once before 429 (default 32) */
  maxSnapshotDownloads?: number;
  /** SSE clients at once before 429 (default 1 000) */
  maxStreamClients?: number;
  /** open connections at once (default 10 000) */
  maxConnections?: number;
}

export interface RunningEvaluator {
  port: number;
  /** stop accepting, finish in-flight requests, end streams, stop watching the source's events */
  close(): Promise<void>;
}

export interface EvaluatorServer {
  /**
   * What listen() serves: request metrics, drain, and OFREP evaluations on a fast path in
   * front of `app`. Mount this (not `app`) to embed the evaluator in your own http.Server.
   */
  handler: RequestListener;
  /** the express app behind `handler`: every route, but without request metrics or drain */
  app: Express;
  metrics: EvaluatorMetrics;
  events: ExperimentEvents;
  listen(port: number, host?: string): Promise<RunningEvaluator>;
}

function authenticate(authenticator: TokenAuthenticator): RequestHandler {
  return (req, res, next) => {
    if (admit(authenticator, req, res)) next();
  };
}

export function createEvaluatorServer(options: EvaluatorServerOptions): EvaluatorServer {
  const { source } = options;
  const logger = options.logger ?? silentLogger();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const events = new ExperimentEvents(metrics.registry, options.eventStore, logger, options.eventBuffer);
  const evaluator = new FlagEvaluator(metrics, options.eventStore ? events.observe.bind(events) : undefined);
  const stream = new SnapshotStream({
    heartbeatMs: options.heartbeatMs ?? 15_000,
    metrics,
    maxClients: options.maxStreamClients ?? DEFAULT_MAX_STREAM_CLIENTS,
  });
  const downloads = new SnapshotDownloads({
    maxInFlight: options.maxSnapshotDownloads ?? DEFAULT_MAX_SNAPSHOT_DOWNLOADS,
    logger,
  });
  const logError = (error: unknown, req: IncomingMessage) =>
    logger.error({ err: error, method: req.method, url: req.url }, "request failed");
  const authenticator = options.authTokens === undefined ? undefined : new TokenAuthenticator(options.authTokens);
  const ofrepOptions = { source, evaluator, maxBodyBytes, logError };
  let draining = false;

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false); // ETags are ours: snapshot hash, or snapshot hash + context
  app.use(opsRouter({ source, metrics, draining: () => draining }));
  if (authenticator) app.use(authenticate(authenticator));
  app.use(ofrepRouter(ofrepOptions));
  app.use(nativeRouter({ source, evaluator, events, stream, downloads, metrics, maxBodyBytes, logError }));
  app.use(experimentsRouter({ source, events }));
  app.use(notFound);
  app.use(errorHandler({ log: logError }));
  const handler = frontDoor({
    app,
    ofrep: ofrepEvaluationHandlers(ofrepOptions),
    metrics,
    authenticator,
    draining: () => draining,
  });

  const unobserve = observeSource(metrics, source);
  const onChange = (snapshot: Snapshot) => {
    logger.info({ hash: snapshot.hash, flags: Object.keys(snapshot.flags).length }, "serving a new snapshot");
    stream.broadcast(snapshot);
  };
  source.on("change", onChange);

  const listen = async (port: number, host = "0.0.0.0"): Promise<RunningEvaluator> => {
    const server = await startListening(handler, port, host, {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    });
    const close = async () => {
      draining = true;
      source.off("change", onChange);
      unobserve();
      stream.closeAll();
      await drain(server, options.drainTimeoutMs ?? 10_000);
      await events.close(); // flush buffered events after the last request
    };
    return { port: (server.address() as AddressInfo).port, close };
  };

  return { handler, app, metrics, events, listen };
}

/**
 * node:http answers 408 itself when a request's headers and body have not all arrived within
 * requestTimeout (checked every REQUEST_TIMEOUT_CHECK_MS): a body shorter than its
 * Content-Length, or one trickled byte by byte, is cut without a timer per request.
 */
function startListening(
  handler: RequestListener,
  port: number,
  host: string,
  limits: { requestTimeoutMs: number; maxConnections: number },
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
        connectionsCheckingInterval: Math.min(REQUEST_TIMEOUT_CHECK_MS, limits.requestTimeoutMs),
      },
      handler,
    );
    server.maxConnections = limits.maxConnections;
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
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
