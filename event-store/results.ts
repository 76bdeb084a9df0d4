// Experiment results from the store: the definition's spec, the store's aggregates, and the
// one analysis in core/statistics. The evaluator (GET /v1/experiments), the operator (status),
// the CLI and the TypeScript API all call this, so they always agree.
import type { ExperimentAnalysis } from "../core/schema/experiment-status.ts";
import { analyzeExperiment } from "../core/statistics/analyze.ts";
import { experimentPhase } from "./definitions.ts";
import type { EventStore, ExperimentDefinition, ExperimentQuery } from "./store.ts";

export interface ExperimentResults extends ExperimentAnalysis {
  name: string;
  namespace: string;
  flag: string;
  environment: string;
  /** when the numbers were read from the store */
  analyzedAt: string;
}

export function experimentQuery(definition: ExperimentDefinition): ExperimentQuery {
  const { spec } = definition;
  return {
    namespace: definition.namespace,
    experiment: definition.name,
    variants: spec.variants.map((v) => v.variant),
    metrics: spec.metrics.map((m) => ({ name: m.name, event: m.event, type: m.type ?? "conversion" })),
  };
}

export async function experimentResults(
  store: EventStore,
  definition: ExperimentDefinition,
  now = Date.now(),
): Promise<ExperimentResults> {
  const aggregates = await store.aggregate(experimentQuery(definition));
  // the phase as of now: the stored one was right when its owner last wrote it
  const phase = experimentPhase(definition, now);
  const analysis = analyzeExperiment(definition.spec, aggregates, { phase });
  const { name, namespace, spec } = definition;
  return {
    name,
    namespace,
    flag: spec.flag,
    environment: spec.environment,
    analyzedAt: new Date(now).toISOString(),
    ...analysis,
  };
}
