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
export { analyzeExperiment, DEFAULT_MINIMUM_DETECTABLE_EFFECT, type AnalyzeOptions } from "./analyze.ts";
export { sampleRatioMismatch, SRM_THRESHOLD } from "./srm.ts";
export { holmAdjust } from "./holm.ts";
export { SEQUENTIAL_TUNING_USERS } from "./sequential.ts";
