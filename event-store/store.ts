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

/**
 * Evaluations of one flag in one hour, by variant, reason and environment: an evaluator's
 * rollup, written every few seconds. Counts add up across replicas and writes.
 */
export interface UsageRecord {
  kind: "usage";
  namespace: string;
  flag: string;
  /** "" when the evaluation served no variant (an error) */
  variant: string;
  reason: string;
  environment: string;
  /** epoch milliseconds of the start of the hour */
  hour: number;
  evaluations: number;
  /** epoch milliseconds of the last evaluation counted */
  lastAt: number;
}

export type EventRecord = ExposureRecord | MetricRecord | UsageRecord;

/** A flag's usage as the store knows it: totals since a time, and the last evaluation ever. */
export interface FlagUsage {
  namespace: string;
  flag: string;
  /** evaluations in the hours starting at or after `since` */
  evaluations: number;
  byVariant: Record<string, number>;
  byReason: Record<string, number>;
  byEnvironment: Record<string, number>;
  /** epoch milliseconds of the last evaluation recorded, at any time */
  lastEvaluatedAt: number;
  /** epoch milliseconds of the start of the first hour with evaluations, at any time */
  firstEvaluatedAt: number;
}

export interface UsageQuery {
  /** one namespace, or all when undefined */
  namespace?: string;
  /** epoch milliseconds: hours starting before it are left out of the counts */
  since: number;
}

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
  /** Usage of every flag ever evaluated (in the namespace), sorted by namespace and flag. */
  usage(query: UsageQuery): Promise<FlagUsage[]>;
  /** Replaces the namespace's experiment definitions with these. */
  putExperiments(namespace: string, definitions: readonly ExperimentDefinition[]): Promise<void>;
  /** Definitions of one namespace, or of all when undefined. */
  experiments(namespace?: string): Promise<ExperimentDefinition[]>;
  close(): Promise<void>;
}
