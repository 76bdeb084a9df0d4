// Prometheus metrics on the evaluator's own registry (prefix vexil_). Label values are bounded:
// `flag` and `variant` come from the snapshot (an unknown key is counted as flag="" so a client
// asking for random keys cannot blow up cardinality), `route` is the route pattern, `code` is a
// closed list of error codes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Snapshot } from "../core/snapshot/snapshot.ts";
import type { SnapshotSource, SourceFreshness } from "./sources/source.ts";

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
  /** where the staleness gauges read the served snapshot's freshness (observeSource sets it) */
  freshness: { get: () => SourceFreshness | undefined };
  /** count one evaluation (flag "" for an unknown key, variant "" for none) */
  countEvaluation(flag: string, variant: string, reason: string): void;
  /** time one HTTP request by route pattern, method and status */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

type Tally = Map<string, Map<string, Map<string, { n: number }>>>;

/**
 * Evaluations are tallied in nested maps (no label object, no hashing per evaluation) and
 * handed to the counter when it is collected, i.e. on every scrape: prom-client's inc() with
 * labels builds and hashes a label set each time, a few µs per request on the hot path.
 */
function evaluationTally(): {
  count: (flag: string, variant: string, reason: string) => void;
  flush: (into: Counter<"flag" | "variant" | "reason">) => void;
} {
  const tally: Tally = new Map();
  const count = (flag: string, variant: string, reason: string) => {
    let byVariant = tally.get(flag);
    if (!byVariant) tally.set(flag, (byVariant = new Map()));
    let byReason = byVariant.get(variant);
    if (!byReason) byVariant.set(variant, (byReason = new Map()));
    const cell = byReason.get(reason);
    if (cell) cell.n++;
    else byReason.set(reason, { n: 1 });
  };
  const flush = (into: Counter<"flag" | "variant" | "reason">) => {
    for (const [flag, byVariant] of tally) {
      for (const [variant, byReason] of byVariant) {
        for (const [reason, cell] of byReason) if (cell.n > 0) into.inc({ flag, variant, reason }, cell.n);
      }
    }
    tally.clear(); // flags deleted from the snapshot stop costing memory here
  };
  return { count, flush };
}

/** Request timers resolved once per route, method and status (prom-client's labels() children). */
function requestObserver(histogram: Histogram<"route" | "method" | "status">) {
  const children = new Map<string, Map<string, Map<number, { observe(value: number): void }>>>();
  return (route: string, method: string, status: number, seconds: number) => {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = histogram.labels({ route, method, status: String(status) })));
    child.observe(seconds);
  };
}

/** Gauges describing the served snapshot; returns the function that points them at a new one. */
function snapshotGauges(
  registers: Registry[],
  freshness: { get: () => SourceFreshness | undefined },
): (snapshot: Snapshot, loadedAt: Date) => void {
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
    help:
      "Seconds since the source last confirmed the served snapshot is its current content " +
      "(a good reload or an unchanged rescan); grows while reloads fail (absent before the first load)",
    registers,
    collect() {
      const confirmed = freshness.get()?.confirmedAt ?? loadedAt;
      if (confirmed) this.set((Date.now() - confirmed.getTime()) / 1000);
    },
  });
  new Gauge({
    name: "vexil_snapshot_stale",
    help: "1 while the served snapshot is not the source's current content (last reload failed, or a file is kept from before)",
    registers,
    collect() {
      this.set(freshness.get()?.staleSince ? 1 : 0);
    },
  });
  new Gauge({
    name: "vexil_snapshot_last_error_timestamp_seconds",
    help: "Unix time since when the served snapshot is stale (0 when it is current); /readyz gives the error",
    registers,
    collect() {
      this.set((freshness.get()?.staleSince?.getTime() ?? 0) / 1000);
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
  const freshness: { get: () => SourceFreshness | undefined } = { get: () => undefined };
  const observeSnapshot = snapshotGauges(registers, freshness);
  const tally = evaluationTally();
  const evaluations = new Counter({
    name: "vexil_evaluations_total",
    help: 'Flag evaluations by flag, served variant and reason (flag="" for unknown keys)',
    labelNames: ["flag", "variant", "reason"] as const,
    registers,
    collect() {
      tally.flush(this);
    },
  });
  const httpRequestDuration = new Histogram({
    name: "vexil_http_request_duration_seconds",
    help: "HTTP request duration by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  return {
    registry,
    evaluations,
    evaluationDuration: new Histogram({
      name: "vexil_evaluation_duration_seconds",
      help: "Time spent evaluating one flag, excluding HTTP",
      buckets: [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2],
      registers,
    }),
    httpRequestDuration,
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
    freshness,
    countEvaluation: tally.count,
    observeRequest: requestObserver(httpRequestDuration),
  };
}

/** Keep the snapshot and reload metrics in step with a source. Returns an unsubscribe function. */
export function observeSource(metrics: EvaluatorMetrics, source: SnapshotSource): () => void {
  const onChange = (snapshot: Snapshot) => metrics.observeSnapshot(snapshot, source.loadedAt() ?? new Date());
  const onReload = (outcome: string) => metrics.snapshotReloads.inc({ outcome });
  metrics.freshness.get = () => source.freshness?.();
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
