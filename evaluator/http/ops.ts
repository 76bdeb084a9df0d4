// Operational endpoints, never behind auth: kubelet probes and Prometheus scrapes.
import { Router } from "express";
import type { EvaluatorMetrics } from "../metrics.ts";
import type { SnapshotSource } from "../sources/source.ts";
import { methodNotAllowed } from "./errors.ts";

export function opsRouter(options: {
  source: SnapshotSource;
  metrics: EvaluatorMetrics;
  draining: () => boolean;
}): Router {
  const { source, metrics, draining } = options;
  const router = Router();

  router
    .route("/healthz")
    .get((_req, res) => {
      res.json({ status: "ok" });
    })
    .all(methodNotAllowed(["GET"]));

  // ready once a snapshot is loaded; not ready while draining so endpoints stop routing to us
  router
    .route("/readyz")
    .get((_req, res) => {
      const snapshot = source.current();
      if (draining()) res.status(503).json({ status: "draining" });
      else if (!snapshot)
        res.status(503).json({ status: "waiting for the first snapshot", source: source.description });
      else {
        // Stale is still ready (200): every replica going unready over one bad file would turn an
        // edit into an outage. The body, the log and vexil_snapshot_stale say it; alert on those.
        const { staleSince, lastError, confirmedAt } = source.freshness?.() ?? {};
        res.json({
          status: staleSince ? "stale" : "ready",
          hash: snapshot.hash,
          loadedAt: source.loadedAt()?.toISOString(),
          ...(confirmedAt ? { confirmedAt: confirmedAt.toISOString() } : {}),
          ...(staleSince ? { staleSince: staleSince.toISOString(), lastError } : {}),
        });
      }
    })
    .all(methodNotAllowed(["GET"]));

  router
    .route("/metrics")
    .get(async (_req, res) => {
      res.setHeader("Content-Type", metrics.registry.contentType);
      res.send(await metrics.registry.metrics());
    })
    .all(methodNotAllowed(["GET"]));

  return router;
}
