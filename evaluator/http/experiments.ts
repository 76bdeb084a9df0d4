// GET /v1/experiments and GET /v1/experiments/{name}: results of the served namespace's
// experiments, computed from the event store (so every replica answers the same, and results
// survive restarts), in the shape of the Experiment status.
import { Router, type Request, type Response } from "express";
import type { ExperimentEvents } from "../experiments/pipeline.ts";
import type { SnapshotSource } from "../sources/source.ts";
import { HttpError, methodNotAllowed } from "./errors.ts";

export interface ExperimentsRouterOptions {
  source: SnapshotSource;
  events: ExperimentEvents;
}

function namespaceOf(source: SnapshotSource): string {
  const snapshot = source.current();
  if (!snapshot) throw new HttpError(503, "PROVIDER_NOT_READY", "no flag snapshot is loaded yet");
  return snapshot.namespace;
}

function unavailable(error: unknown, store: string): HttpError {
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(503, "EVENTS_UNAVAILABLE", `the event store (${store}) did not answer: ${message}`);
}

export function experimentsRouter({ source, events }: ExperimentsRouterOptions): Router {
  const router = Router();
  const ready = () => {
    const { catalog, results, store } = events;
    if (!catalog || !results || !store) {
      throw new HttpError(
        503,
        "EVENTS_UNAVAILABLE",
        "this evaluator has no event store (vexil serve --events-database)",
      );
    }
    return { catalog, results, store };
  };

  router
    .route("/v1/experiments")
    .get(async (_req: Request, res: Response) => {
      const { catalog, results, store } = ready();
      const namespace = namespaceOf(source);
      try {
        const definitions = await catalog.list(namespace);
        res.json({ experiments: await Promise.all(definitions.map((d) => results.get(d))) });
      } catch (error) {
        throw unavailable(error, store.description);
      }
    })
    .all(methodNotAllowed(["GET"]));

  router
    .route("/v1/experiments/:name")
    .get(async (req: Request, res: Response) => {
      const { catalog, results, store } = ready();
      const namespace = namespaceOf(source);
      const name = req.params.name as string;
      let definition;
      try {
        definition = await catalog.get(namespace, name);
      } catch (error) {
        throw unavailable(error, store.description);
      }
      if (!definition) throw new HttpError(404, "NOT_FOUND", `no experiment "${name}" in namespace ${namespace}`);
      try {
        res.json(await results.get(definition));
      } catch (error) {
        throw unavailable(error, store.description);
      }
    })
    .all(methodNotAllowed(["GET"]));

  return router;
}
