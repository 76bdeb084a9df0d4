// Prometheus counters of the experiments pipeline, on the evaluator's registry. Label values
// come from the snapshot or the stored definitions (experiment, variant, metric) or closed lists
// (reason), never from the client, so cardinality stays bounded.
import { Counter, Gauge, type Registry } from "prom-client";
import type { EventWriter } from "../../event-store/writer.ts";

export interface ExperimentMetrics {
  exposures: Counter<"experiment" | "variant">;
  conversions: Counter<"experiment" | "metric">;
  ignored: Counter<"reason">;
  dropped: Counter<"reason">;
  written: Counter;
}

export function createExperimentMetrics(registry: Registry, writer: () => EventWriter | undefined): ExperimentMetrics {
  const registers = [registry];
  const dropped = new Counter({
    name: "vexil_events_dropped_total",
    help: "Events lost before reaching the event store, by reason (buffer_full: store slow or down; shutdown: unflushed at exit)",
    labelNames: ["reason"] as const,
    registers,
  });
  for (const reason of ["buffer_full", "shutdown"]) dropped.inc({ reason }, 0);
  new Gauge({
    name: "vexil_events_buffered",
    help: "Events waiting in memory for the event store",
    registers,
    collect() {
      this.set(writer()?.pending() ?? 0);
    },
  });
  return {
    exposures: new Counter({
      name: "vexil_experiment_exposures_total",
      help: "Exposures recorded (first per user seen by this evaluator), by experiment and variant",
      labelNames: ["experiment", "variant"] as const,
      registers,
    }),
    conversions: new Counter({
      name: "vexil_experiment_conversions_total",
      help: "Conversion and value events of a running experiment's metrics received, by experiment and metric",
      labelNames: ["experiment", "metric"] as const,
      registers,
    }),
    ignored: new Counter({
      name: "vexil_events_ignored_total",
      help: "Events accepted but not stored, by reason (unknown_experiment, experiment_not_running, ...)",
      labelNames: ["reason"] as const,
      registers,
    }),
    dropped,
    written: new Counter({ name: "vexil_events_written_total", help: "Events written to the event store", registers }),
  };
}
