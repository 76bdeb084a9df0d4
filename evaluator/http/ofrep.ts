// OFREP (OpenFeature Remote Evaluation Protocol) endpoints, as open-feature/protocol's
// service/openapi.yaml defines them: single and bulk evaluation, plus the configuration
// extension so providers know what this service supports.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Router } from "express";
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { FlagEvaluator } from "../evaluation.ts";
import type { SnapshotSource } from "../sources/source.ts";
import { bulkEtag, etagMatches } from "./etag.ts";
import { readJsonBody } from "./body.ts";
import { HttpError, methodNotAllowed, sendError, sendJson, sendThrown, statusForErrorCode } from "./errors.ts";
import { readContext } from "./request.ts";

export interface OfrepRouterOptions {
  source: SnapshotSource;
  evaluator: FlagEvaluator;
  maxBodyBytes: number;
  logError: (error: unknown, req: IncomingMessage) => void;
}

export type OfrepItem =
  | {
      key: string;
      reason: string;
      variant?: string;
      value: unknown;
      metadata: Record<string, string | number | boolean>;
    }
  | { key: string; errorCode: string; errorDetails: string };

/** The OFREP body for one engine result: a success or an evaluationFailure item. */
export function toOfrepItem(result: EvaluationResult): OfrepItem {
  if (result.errorCode !== undefined) {
    return { key: result.key, errorCode: result.errorCode, errorDetails: result.errorMessage ?? result.errorCode };
  }
  return {
    key: result.key,
    reason: result.reason,
    ...(result.variant === undefined ? {} : { variant: result.variant }),
    value: result.value,
    metadata: result.metadata ?? {},
  };
}

export interface OfrepEvaluationHandlers {
  /** POST /ofrep/v1/evaluate/flags/{key}: never rejects, every outcome is a response */
  one(req: IncomingMessage, res: ServerResponse, key: string): Promise<void>;
  /** POST /ofrep/v1/evaluate/flags, with the bulk ETag / If-None-Match → 304 */
  bulk(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

function requireSnapshot(source: SnapshotSource): Snapshot {
  const snapshot = source.current();
  if (!snapshot) throw new HttpError(503, "PROVIDER_NOT_READY", "no flag snapshot is loaded yet");
  return snapshot;
}

/**
 * The two evaluation endpoints on node:http alone, so the server's fast path can call them
 * without express (see ./front-door.ts); the express routes below call the same functions.
 */
export function ofrepEvaluationHandlers(options: OfrepRouterOptions): OfrepEvaluationHandlers {
  const { source, evaluator, maxBodyBytes, logError } = options;
  return {
    async one(req, res, key) {
      try {
        const context = readContext(await readJsonBody(req, maxBodyBytes));
        const result = evaluator.one(requireSnapshot(source), key, context);
        const { errorCode } = result;
        if (errorCode === undefined) sendJson(res, 200, JSON.stringify(toOfrepItem(result)));
        else sendError(res, statusForErrorCode(errorCode), errorCode, result.errorMessage ?? errorCode, key);
      } catch (error) {
        sendThrown(error, req, res, { key, log: logError });
      }
    },
    async bulk(req, res) {
      try {
        const context = readContext(await readJsonBody(req, maxBodyBytes));
        const snapshot = requireSnapshot(source);
        const etag = bulkEtag(snapshot.hash, context);
        res.setHeader("ETag", etag);
        if (etagMatches(req.headers["if-none-match"], etag)) {
          res.statusCode = 304;
          res.end();
          return;
        }
        sendJson(res, 200, JSON.stringify({ flags: evaluator.all(snapshot, context).map(toOfrepItem) }));
      } catch (error) {
        sendThrown(error, req, res, { log: logError });
      }
    },
  };
}

export function ofrepRouter(options: OfrepRouterOptions): Router {
  const handlers = ofrepEvaluationHandlers(options);
  const router = Router();

  router
    .route("/ofrep/v1/evaluate/flags/:key")
    .post((req, res) => handlers.one(req, res, req.params.key as string))
    .all(methodNotAllowed(["POST"]));

  router
    .route("/ofrep/v1/evaluate/flags")
    .post((req, res) => handlers.bulk(req, res))
    .all(methodNotAllowed(["POST"]));

  router
    .route("/ofrep/v1/configuration")
    .get((_req, res) => {
      res.json({
        name: "vexil",
        capabilities: {
          cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
          flagEvaluation: { supportedTypes: ["boolean", "string", "int", "float", "object"] },
        },
      });
    })
    .all(methodNotAllowed(["GET"]));

  return router;
}
