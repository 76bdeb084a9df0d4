// Experiment statistics: pure functions from per-variant aggregates to the Experiment status.
// Definitions and formulas: docs/experiments.md.
export type { ExperimentAggregates, MetricVariantAggregate } from "./aggregates.ts";
export type {
  ExperimentAnalysis,
  ExperimentPhase,
  LeadingVariant,
  Recommendation,
  RecommendationAction,
  SampleRatioMismatch,
  VariantResult,
} from "../schema/experiment-status.ts";
