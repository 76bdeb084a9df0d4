// OFREP (OpenFeature Remote Evaluation Protocol) endpoints, as open-feature/protocol's
// service/openapi.yaml defines them: single and bulk evaluation, plus the configuration
// extension so providers know what this service supports.
import { Router, type Request, type Response } from "express";
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import type { Snapshot } from "../../core/snapshot.ts";
import type { FlagEvaluator } from "../evaluation.ts";
import type { SnapshotSource } from "../sources/source.ts";
import { bulkEtag, etagMatches } from "./etag.ts";
import { errorHandler, methodNotAllowed, sendError, statusForErrorCode } from "./errors.ts";
import { jsonBody, readContext } from "./request.ts";

export interface OfrepRouterOptions {
  source: SnapshotSource;
  evaluator: FlagEvaluator;
  maxBodyBytes: number;
  logError: (error: unknown, req: Request) => void;
}

export type OfrepItem =
  | { key: string; reason: string; variant?: string; value: unknown; metadata: Record<string, string | number | boolean> }
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

function requireSnapshot(source: SnapshotSource, res: Response, key?: string): Snapshot | undefined {
  const snapshot = source.current();
  if (!snapshot) sendError(res, 503, "PROVIDER_NOT_READY", "no flag snapshot is loaded yet", key);
  return snapshot;
}

export function ofrepRouter(options: OfrepRouterOptions): Router {
  const { source, evaluator, maxBodyBytes, logError } = options;
  const router = Router();
  const body = jsonBody(maxBodyBytes);

  router
    .route("/ofrep/v1/evaluate/flags/:key")
    .post(
      body,
      (req: Request, res: Response) => {
        const key = req.params.key as string;
        const context = readContext(req.body);
        const snapshot = requireSnapshot(source, res, key);
        if (!snapshot) return;
        const result = evaluator.one(snapshot, key, context);
        const { errorCode } = result;
        if (errorCode === undefined) res.json(toOfrepItem(result));
        else sendError(res, statusForErrorCode(errorCode), errorCode, result.errorMessage ?? errorCode, key);
      },
      errorHandler({ withKey: true, log: logError }),
    )
    .all(methodNotAllowed(["POST"]));

  router
    .route("/ofrep/v1/evaluate/flags")
    .post(
      body,
      (req: Request, res: Response) => {
        const context = readContext(req.body);
        const snapshot = requireSnapshot(source, res);
        if (!snapshot) return;
        const etag = bulkEtag(snapshot.hash, context);
        res.setHeader("ETag", etag);
        if (etagMatches(req.headers["if-none-match"], etag)) {
          res.status(304).end();
          return;
        }
        res.json({ flags: evaluator.all(snapshot, context).map(toOfrepItem) });
      },
      errorHandler({ log: logError }),
    )
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
