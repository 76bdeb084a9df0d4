// Vexil's native API: the snapshot for local-evaluation SDKs (with ETag), a change stream,
// a flag listing, an evaluation endpoint returning the engine's full result, and event intake.
import type { IncomingMessage } from "node:http";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { jsonValue } from "../../core/schema/common.ts";
import type { FlagEvaluator } from "../evaluation.ts";
import { eventBatchSchema, futureEvent, MAX_CLOCK_SKEW_MS, MAX_EVENTS_PER_BATCH } from "../experiments/intake.ts";
import type { ExperimentEvents } from "../experiments/pipeline.ts";
import type { EvaluatorMetrics } from "../metrics.ts";
import type { SnapshotSource } from "../sources/source.ts";
import type { SnapshotDownloads } from "./snapshot-download.ts";
import { HttpError, errorHandler, methodNotAllowed, sendError, sendJson } from "./errors.ts";
import { MAX_CONTEXT_DEPTH, exceedsDepth, jsonBody, readContext } from "./request.ts";
import type { SnapshotStream } from "./stream.ts";

export interface NativeRouterOptions {
  source: SnapshotSource;
  evaluator: FlagEvaluator;
  events: ExperimentEvents;
  stream: SnapshotStream;
  downloads: SnapshotDownloads;
  metrics: EvaluatorMetrics;
  maxBodyBytes: number;
  logError: (error: unknown, req: IncomingMessage) => void;
}

const evaluateOptionsSchema = z.object({
  defaultValue: jsonValue.optional(),
  expectedType: z.enum(["boolean", "string", "number", "object"]).optional(),
});

function requireSnapshot(source: SnapshotSource, res: Response): Snapshot | undefined {
  const snapshot = source.current();
  if (!snapshot) sendError(res, 503, "PROVIDER_NOT_READY", "no flag snapshot is loaded yet");
  return snapshot;
}

function zodDetails(error: z.ZodError, root: string): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${[root, ...issue.path].join(".").replace(/\.(\d+)/g, "[$1]")}: ${issue.message}`)
    .join("; ");
}

/** The listing is the same for every request on one snapshot: built once per version. */
const listings = new WeakMap<Snapshot, string>();

function listingBody(snapshot: Snapshot): string {
  let body = listings.get(snapshot);
  if (body === undefined) {
    const { hash, namespace, environment } = snapshot;
    body = JSON.stringify({ hash, namespace, environment, flags: listFlags(snapshot) });
    listings.set(snapshot, body);
  }
  return body;
}

function listFlags(snapshot: Snapshot) {
  return Object.values(snapshot.flags)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((flag) => ({
      key: flag.key,
      type: flag.type,
      enabled: flag.enabled,
      killSwitch: flag.killSwitch,
      variants: Object.keys(flag.variants),
      defaultVariant: flag.defaultVariant,
      offVariant: flag.offVariant,
    }));
}

export function nativeRouter(options: NativeRouterOptions): Router {
  const { source, evaluator, events, stream, downloads, metrics, maxBodyBytes, logError } = options;
  const router = Router();
  const body = jsonBody(maxBodyBytes);
  const onError = errorHandler({ log: logError });

  router
    .route("/v1/snapshot")
    .get((req, res, next) => {
      const snapshot = requireSnapshot(source, res);
      if (snapshot) downloads.handle(req, res, snapshot).catch(next);
    })
    .all(methodNotAllowed(["GET"]));

  router
    .route("/v1/stream")
    .get((req, res) => stream.handle(req, res, source.current()))
    .all(methodNotAllowed(["GET"]));

  router
    .route("/v1/flags")
    .get((_req, res) => {
      const snapshot = requireSnapshot(source, res);
      if (!snapshot) return;
      sendJson(res, 200, listingBody(snapshot));
    })
    .all(methodNotAllowed(["GET"]));

  router
    .route("/v1/evaluate/:key")
    .post(
      body,
      (req: Request, res: Response) => {
        const context = readContext(req.body);
        // before the schema: zod's JSON value schema recurses, and 5 000 levels overflow the stack
        if (exceedsDepth((req.body as { defaultValue?: unknown } | undefined)?.defaultValue, MAX_CONTEXT_DEPTH)) {
          throw new HttpError(400, "INVALID_REQUEST", `defaultValue is nested deeper than ${MAX_CONTEXT_DEPTH} levels`);
        }
        const parsed = evaluateOptionsSchema.safeParse(req.body ?? {});
        if (!parsed.success) throw new HttpError(400, "INVALID_REQUEST", zodDetails(parsed.error, "body"));
        const snapshot = requireSnapshot(source, res);
        if (!snapshot) return;
        res.json(evaluator.one(snapshot, req.params.key as string, context, parsed.data));
      },
      onError,
    )
    .all(methodNotAllowed(["POST"]));

  router
    .route("/v1/events")
    .post(
      body,
      (req: Request, res: Response) => {
        // a bare array, or {events: [...]} for clients that prefer an object body
        const raw: unknown = Array.isArray(req.body)
          ? req.body
          : (req.body as { events?: unknown } | undefined)?.events;
        if (Array.isArray(raw) && raw.length > MAX_EVENTS_PER_BATCH) {
          const details = `a batch holds at most ${MAX_EVENTS_PER_BATCH} events, got ${raw.length}: split it`;
          throw new HttpError(413, "PAYLOAD_TOO_LARGE", details);
        }
        const parsed = eventBatchSchema.safeParse(raw);
        if (!parsed.success) throw new HttpError(400, "INVALID_REQUEST", zodDetails(parsed.error, "events"));
        const now = Date.now();
        const future = futureEvent(parsed.data, now);
        if (future >= 0) {
          const details = `events[${future}].timestamp: more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes in the future`;
          throw new HttpError(400, "INVALID_REQUEST", details);
        }
        const snapshot = requireSnapshot(source, res);
        if (!snapshot) return;
        for (const event of parsed.data) metrics.eventsReceived.inc({ type: event.type });
        res.status(202).json(events.receive(snapshot, parsed.data, now));
      },
      onError,
    )
    .all(methodNotAllowed(["POST"]));

  return router;
}
