// Experiment results for the TypeScript API. Core does no I/O, so the results come from a
// reader the caller passes (`experiments` option): `experimentResultsReader(store, namespace)`
// from "vexil/events" reads the same event store the evaluators write.
import type { ExperimentAnalysis } from "../schema/experiment-status.ts";
import { VexilError } from "./errors.ts";

/** One experiment's results: the Experiment status shape, with where it runs. */
export interface ExperimentResults extends ExperimentAnalysis {
  name: string;
  namespace: string;
  flag: string;
  environment: string;
  /** when the numbers were read from the store */
  analyzedAt: string;
}

export interface ExperimentResultsReader {
  /** undefined when the store knows no experiment of this name */
  results(name: string): Promise<ExperimentResults | undefined>;
  /** every experiment of the namespace */
  list(): Promise<ExperimentResults[]>;
  /** experiment → variant → unique exposed users, for every experiment that ran on the flag */
  flagVariantUsers(flagKey: string): Promise<Record<string, Record<string, number>>>;
}

/** How each variant of a flag performed, per experiment that ran on it. */
export interface VariantAnalytics {
  flagKey: string;
  experiments: {
    experiment: string;
    /** unique users exposed to each variant */
    exposures: Record<string, number>;
    /** the full analysis, when the store still has the experiment's definition */
    results?: ExperimentResults;
  }[];
}

export function requireReader(reader: ExperimentResultsReader | undefined): ExperimentResultsReader {
  if (reader) return reader;
  throw new VexilError(
    "NOT_SUPPORTED",
    'experiment results need an event store: new FeatureFlagsInteraction({ experiments: experimentResultsReader(openEventStore("flags/.vexil/events.db")) }) with both from "vexil/events"',
  );
}

export async function experimentResultsOf(
  reader: ExperimentResultsReader | undefined,
  name: string,
): Promise<ExperimentResults> {
  if (typeof name !== "string" || name === "") throw new VexilError("INVALID_ARGUMENT", "name the experiment");
  const results = await requireReader(reader).results(name);
  if (!results) throw new VexilError("EXPERIMENT_NOT_FOUND", `no experiment "${name}" in the event store`);
  return results;
}

export async function variantAnalyticsOf(
  reader: ExperimentResultsReader | undefined,
  flagKey: string,
): Promise<VariantAnalytics> {
  const source = requireReader(reader);
  const users = await source.flagVariantUsers(flagKey);
  const experiments = await Promise.all(
    Object.keys(users)
      .sort()
      .map(async (experiment) => {
        const results = await source.results(experiment);
        return { experiment, exposures: users[experiment]!, ...(results ? { results } : {}) };
      }),
  );
  return { flagKey, experiments };
}
