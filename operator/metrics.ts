// Prometheus metrics of the operator, in their own registry (prefix vexil_operator_) so an
// embedding process's default registry is untouched.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type ReconcileOutcome = "unchanged" | "written" | "error";
export type DeliveryOutcome = "delivered" | "retry" | "failed" | "dropped";

export interface OperatorMetrics {
  registry: Registry;
  reconcileDuration: Histogram<"outcome">;
  reconciles: Counter<"outcome">;
  queueDepth: Gauge;
  snapshotBytes: Gauge<"namespace" | "environment">;
  webhookDeliveries: Counter<"outcome">;
  leader: Gauge;
  watchRestarts: Counter<"resource">;
  statusPatches: Counter;
  events: Counter<"reason">;
}

export function createOperatorMetrics(options: { processMetrics?: boolean } = {}): OperatorMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: "vexil_operator_" });
  const registers = [registry];
  return {
    registry,
    reconcileDuration: new Histogram({
      name: "vexil_operator_reconcile_duration_seconds",
      help: "Time to reconcile one namespace and environment",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    reconciles: new Counter({
      name: "vexil_operator_reconciles_total",
      help: "Reconciles by outcome: unchanged (no write), written, error",
      labelNames: ["outcome"],
      registers,
    }),
    queueDepth: new Gauge({
      name: "vexil_operator_queue_depth",
      help: "Namespace × environment keys waiting",
      registers,
    }),
    snapshotBytes: new Gauge({
      name: "vexil_operator_snapshot_bytes",
      help: "Bytes of snapshot data (index and shards) per namespace and environment",
      labelNames: ["namespace", "environment"],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: "vexil_operator_webhook_deliveries_total",
      help: "Webhook delivery attempts by outcome",
      labelNames: ["outcome"],
      registers,
    }),
    leader: new Gauge({
      name: "vexil_operator_leader",
      help: "1 while this replica holds the leader lease",
      registers,
    }),
    watchRestarts: new Counter({
      name: "vexil_operator_watch_restarts_total",
      help: "Watches restarted after an error or expiry",
      labelNames: ["resource"],
      registers,
    }),
    statusPatches: new Counter({
      name: "vexil_operator_status_patches_total",
      help: "Status subresource writes",
      registers,
    }),
    events: new Counter({
      name: "vexil_operator_events_total",
      help: "Audit records (Kubernetes Events) by reason",
      labelNames: ["reason"],
      registers,
    }),
  };
}
