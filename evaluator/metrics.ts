// Prometheus metrics on the evaluator's own registry (prefix vexil_). Label values are bounded:
// `flag` and `variant` come from the snapshot (an unknown key is counted as flag="" so a client
// asking for random keys cannot blow up cardinality), `route` is the route pattern, `code` is a
// closed list of error codes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Snapshot } from "../core/snapshot.ts";
import type { SnapshotSource } from "./sources/source.ts";

export interface EvaluatorMetrics {
  registry: Registry;
  evaluations: Counter<"flag" | "variant" | "reason">;
  evaluationDuration: Histogram;
  httpRequestDuration: Histogram<"route" | "method" | "status">;
  httpRequestErrors: Counter<"code">;
  snapshotReloads: Counter<"outcome">;
  watchRestarts: Counter;
  streamClients: Gauge;
  eventsReceived: Counter<"type">;
  /** point the snapshot gauges at a new snapshot */
  observeSnapshot(snapshot: Snapshot, loadedAt: Date): void;
}

/** Gauges describing the served snapshot; returns the function that points them at a new one. */
function snapshotGauges(registers: Registry[]): (snapshot: Snapshot, loadedAt: Date) => void {
  let loadedAt: Date | undefined;
  const snapshotInfo = new Gauge({
    name: "vexil_snapshot_info",
    help: "The snapshot being served (value 1), labelled with its content hash",
    labelNames: ["hash", "namespace", "environment"] as const,
    registers,
  });
  const snapshotLoaded = new Gauge({
    name: "vexil_snapshot_loaded_timestamp_seconds",
    help: "Unix time when the served snapshot was loaded",
    registers,
  });
  new Gauge({
    name: "vexil_snapshot_age_seconds",
    help: "Seconds since the served snapshot was loaded (absent before the first load)",
    registers,
    collect() {
      if (loadedAt) this.set((Date.now() - loadedAt.getTime()) / 1000);
    },
  });
  const snapshotFlags = new Gauge({ name: "vexil_snapshot_flags", help: "Flags in the served snapshot", registers });
  return (snapshot, at) => {
    loadedAt = at;
    snapshotInfo.reset();
    snapshotInfo.set({ hash: snapshot.hash, namespace: snapshot.namespace, environment: snapshot.environment }, 1);
    snapshotLoaded.set(at.getTime() / 1000);
    snapshotFlags.set(Object.keys(snapshot.flags).length);
  };
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): EvaluatorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "vexil_" });
  const registers = [registry];
  const observeSnapshot = snapshotGauges(registers);
  return {
    registry,
    evaluations: new Counter({
      name: "vexil_evaluations_total",
      help: "Flag evaluations by flag, served variant and reason (flag=\"\" for unknown keys)",
      labelNames: ["flag", "variant", "reason"] as const,
      registers,
    }),
    evaluationDuration: new Histogram({
      name: "vexil_evaluation_duration_seconds",
      help: "Time spent evaluating one flag, excluding HTTP",
      buckets: [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: "vexil_http_request_duration_seconds",
      help: "HTTP request duration by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    httpRequestErrors: new Counter({
      name: "vexil_http_request_errors_total",
      help: "HTTP requests answered with an error, by error code",
      labelNames: ["code"] as const,
      registers,
    }),
    snapshotReloads: new Counter({
      name: "vexil_snapshot_reloads_total",
      help: "Snapshot reload attempts by outcome (success, invalid: rejected and last good kept, error)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    watchRestarts: new Counter({
      name: "vexil_watch_restarts_total",
      help: "Restarts of the Kubernetes ConfigMap watch after an error",
      registers,
    }),
    streamClients: new Gauge({
      name: "vexil_stream_clients",
      help: "Open server-sent-event connections on /v1/stream",
      registers,
    }),
    eventsReceived: new Counter({
      name: "vexil_events_received_total",
      help: "Exposure, conversion and value events accepted on /v1/events",
      labelNames: ["type"] as const,
      registers,
    }),
    observeSnapshot,
  };
}

/** Keep the snapshot and reload metrics in step with a source. Returns an unsubscribe function. */
export function observeSource(metrics: EvaluatorMetrics, source: SnapshotSource): () => void {
  const onChange = (snapshot: Snapshot) => metrics.observeSnapshot(snapshot, source.loadedAt() ?? new Date());
  const onReload = (outcome: string) => metrics.snapshotReloads.inc({ outcome });
  const onRestart = () => metrics.watchRestarts.inc();
  const current = source.current();
  if (current) onChange(current);
  // pre-create the outcome series so dashboards see zeros, not gaps
  for (const outcome of ["success", "invalid", "error"]) metrics.snapshotReloads.inc({ outcome }, 0);
  source.on("change", onChange);
  source.on("reload", onReload);
  source.on("watchRestart", onRestart);
  return () => {
    source.off("change", onChange);
    source.off("reload", onReload);
    source.off("watchRestart", onRestart);
  };
}
