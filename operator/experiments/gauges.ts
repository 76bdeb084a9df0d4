// Per-experiment, per-variant unique user counts from the store, as Prometheus gauges: exact
// (every evaluator replica's exposures, deduplicated per user), refreshed each analysis pass.
import { Gauge, type Registry } from "prom-client";
import type { ExperimentResults } from "../../event-store/results.ts";

export interface ExperimentGauges {
  observe(namespace: string, experiment: string, results: ExperimentResults): void;
}

export function createExperimentGauges(registry: Registry): ExperimentGauges {
  const exposures = new Gauge({
    name: "vexil_operator_experiment_exposures",
    help: "Unique users exposed, by experiment and variant (from the event store)",
    labelNames: ["namespace", "experiment", "variant"] as const,
    registers: [registry],
  });
  const conversions = new Gauge({
    name: "vexil_operator_experiment_conversions",
    help: "Unique exposed users with at least one event of the metric, by experiment, metric and variant",
    labelNames: ["namespace", "experiment", "metric", "variant"] as const,
    registers: [registry],
  });
  return {
    observe(namespace, experiment, results) {
      for (const [metric, rows] of Object.entries(results.results)) {
        for (const row of rows) {
          exposures.set({ namespace, experiment, variant: row.variant }, row.exposures);
          conversions.set({ namespace, experiment, metric, variant: row.variant }, row.conversions);
        }
      }
    },
  };
}
