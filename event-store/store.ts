// The event store: where evaluators write exposures and metric events, and where the operator,
// the evaluator's /v1/experiments, the CLI and the TypeScript API read experiment aggregates.
// It is the one meeting point of evaluator and operator, so it is kept small: an adapter for
// another database (ClickHouse, a warehouse) implements these few methods (see docs/experiments.md).
import type { ExperimentAggregates } from "../core/statistics/aggregates.ts";
import type { ExperimentSpec } from "../core/schema/experiment.ts";
import type { ExperimentPhase } from "../core/schema/experiment-status.ts";

/** A user served a variant of a running experiment. Only the first exposure per user and experiment counts. */
export interface ExposureRecord {
  kind: "exposure";
  namespace: string;
  experiment: string;
  flag: string;
  variant: string;
  targetingKey: string;
  /** epoch milliseconds */
  at: number;
}

/** A conversion (value 1) or a numeric value of a named event, for whichever experiments measure it. */
export interface MetricRecord {
  kind: "metric";
  namespace: string;
  event: string;
  targetingKey: string;
  value: number;
  /** epoch milliseconds */
  at: number;
}

export type EventRecord = ExposureRecord | MetricRecord;

/** An experiment's definition as its owner (operator, or `vexil serve` in directory mode) last wrote it. */
export interface ExperimentDefinition {
  namespace: string;
  name: string;
  spec: ExperimentSpec;
  /** Pending before spec.start, Running, Concluded after spec.stop (as of updatedAt) */
  phase: ExperimentPhase;
  /** epoch milliseconds of the write */
  updatedAt: number;
}

export interface ExperimentQuery {
  namespace: string;
  experiment: string;
  /** the configured variants: each appears in the result, with zeros when nobody saw it */
  variants: readonly string[];
  metrics: readonly { name: string; event: string; type: "conversion" | "numeric" }[];
}

/** Unique exposed users per variant of every experiment that ever ran on a flag. */
export type FlagVariantUsers = Record<string, Record<string, number>>;

export interface EventStore {
  /** where the events live, for logs and errors (no password) */
  readonly description: string;
  /** Stores a batch; replays of the same records are harmless (idempotent keys). Rejects when unreachable. */
  write(records: readonly EventRecord[]): Promise<void>;
  /**
   * Per variant: unique exposed users (first exposure decides the variant), and per metric the
   * exposed users with events at or after their first exposure, the sum and sum of squares of
   * their per-user totals.
   */
  aggregate(query: ExperimentQuery): Promise<ExperimentAggregates>;
  flagVariantUsers(namespace: string, flag: string): Promise<FlagVariantUsers>;
  /** Replaces the namespace's experiment definitions with these. */
  putExperiments(namespace: string, definitions: readonly ExperimentDefinition[]): Promise<void>;
  /** Definitions of one namespace, or of all when undefined. */
  experiments(namespace?: string): Promise<ExperimentDefinition[]>;
  close(): Promise<void>;
}
