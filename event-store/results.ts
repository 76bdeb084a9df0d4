// Experiment results from the store: the definition's spec, the store's aggregates, and the
// one analysis in core/statistics. The evaluator (GET /v1/experiments), the operator (status),
// the CLI and the TypeScript API all call this, so they always agree.
import type { ExperimentResults, ExperimentResultsReader } from "../core/facade/experiments.ts";
import { analyzeExperiment } from "../core/statistics/analyze.ts";
import { experimentPhase } from "./definitions.ts";
import type { EventStore, ExperimentDefinition, ExperimentQuery } from "./store.ts";

export type { ExperimentResults };

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

/** What the TypeScript API reads (FeatureFlagsInteraction's `experiments` option): one namespace of a store. */
export function experimentResultsReader(store: EventStore, namespace = "default"): ExperimentResultsReader {
  const definitions = () => store.experiments(namespace);
  return {
    async results(name) {
      const definition = (await definitions()).find((d) => d.name === name);
      return definition ? experimentResults(store, definition) : undefined;
    },
    async list() {
      return Promise.all((await definitions()).map((d) => experimentResults(store, d)));
    },
    flagVariantUsers: (flagKey) => store.flagVariantUsers(namespace, flagKey),
  };
}
