// The observed state of an Experiment: what core/statistics computes from the event store and
// what the operator writes into the status (and the evaluator serves at GET /v1/experiments/{name}).
// The exact definitions of every number are in docs/experiments.md.
import { z } from "zod";
import { conditionType, statusConditionSchema, timestamp } from "./common.ts";

/** Pending before spec.start, Running between start and stop, Concluded after spec.stop. */
export const EXPERIMENT_PHASES = ["Pending", "Running", "Concluded"] as const;
export const experimentPhase = z.enum(EXPERIMENT_PHASES);
export type ExperimentPhase = z.infer<typeof experimentPhase>;

/** The closed set of recommendations; docs/experiments.md says when each is given. */
export const RECOMMENDATION_ACTIONS = [
  "NotEnoughData",
  "KeepRunning",
  "ShipVariant",
  "KeepControl",
  "NoDifference",
  "SampleRatioMismatch",
] as const;
export type RecommendationAction = (typeof RECOMMENDATION_ACTIONS)[number];

/** Experiments add Running, Concluded and SampleRatioMismatch to the kstatus conditions. */
export const EXPERIMENT_CONDITION_TYPES = [
  ...conditionType.options,
  "Running",
  "Concluded",
  "SampleRatioMismatch",
] as const;
export const experimentConditionSchema = statusConditionSchema.extend({
  type: z.enum(EXPERIMENT_CONDITION_TYPES).describe(EXPERIMENT_CONDITION_TYPES.join(" | ")),
});

const interval = z.tuple([z.number(), z.number()]);

export const variantResultSchema = z.object({
  variant: z.string().describe("Variant the row describes."),
  exposures: z.number().int().describe("Unique users exposed to the variant."),
  conversions: z
    .number()
    .int()
    .describe("Exposed users with at least one event (conversion metrics) or one value (numeric metrics)."),
  rate: z
    .number()
    .describe("conversions / exposures (conversion metrics); mean value per exposed user (numeric metrics)."),
  lift: z.number().optional().describe("(rate - control rate) / control rate; absent for the control."),
  liftInterval: interval.optional().describe("95% delta-method confidence interval of the lift: [low, high]."),
  pValue: z.number().optional().describe("Two-sided fixed-horizon p-value of lift = 0 (z = lift / se)."),
  chanceToBeatControl: z
    .number()
    .optional()
    .describe("Posterior probability that the variant is better than the control (goal-aware)."),
  sequentialInterval: interval
    .optional()
    .describe("95% always-valid (anytime) confidence interval of the lift, safe to watch continuously."),
  sequentialPValue: z.number().optional().describe("Always-valid p-value of lift = 0."),
  adjustedPValue: z
    .number()
    .optional()
    .describe("Holm-adjusted p-value the recommendation uses (sequential while Running, fixed-horizon otherwise)."),
  significant: z.boolean().optional().describe("adjustedPValue < 0.05."),
});
export type VariantResult = z.infer<typeof variantResultSchema>;

export const sampleRatioMismatchSchema = z.object({
  pValue: z.number().describe("p-value of the chi-square goodness-of-fit test of exposures against weights."),
  detected: z.boolean().describe("true when pValue < 0.001: the split is broken and results are not trustworthy."),
});
export type SampleRatioMismatch = z.infer<typeof sampleRatioMismatchSchema>;

export const recommendationSchema = z.object({
  action: z.enum(RECOMMENDATION_ACTIONS).describe(RECOMMENDATION_ACTIONS.join(" | ")),
  message: z.string().describe("The recommendation in a sentence for people."),
  metric: z.string().optional().describe("Metric the recommendation is about (the first of spec.metrics)."),
  variant: z.string().optional().describe("Variant to ship (ShipVariant)."),
  usersNeeded: z
    .number()
    .int()
    .optional()
    .describe("More exposed users needed to detect minimumDetectableEffect with 80% power (KeepRunning)."),
  minimumDetectableEffect: z.number().optional().describe("Relative lift usersNeeded is computed for, e.g. 0.05."),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const leadingVariantSchema = z.object({
  variant: z.string().describe("Treatment most likely to beat the control on the first metric."),
  metric: z.string().describe("Metric the lead is measured on (the first of spec.metrics)."),
  lift: z.number().optional().describe("Its lift against the control."),
  chanceToBeatControl: z.number().optional().describe("Its chance to beat the control."),
});
export type LeadingVariant = z.infer<typeof leadingVariantSchema>;

/** What core/statistics returns; the status and GET /v1/experiments/{name} carry exactly this. */
export const experimentAnalysisSchema = z.object({
  phase: experimentPhase,
  results: z.record(z.string(), z.array(variantResultSchema)).describe("Results per metric name: one row per variant."),
  sampleRatioMismatch: sampleRatioMismatchSchema.describe("Chi-square test of observed against configured split."),
  recommendation: recommendationSchema.describe("What to do next."),
  leadingVariant: leadingVariantSchema.optional().describe("The treatment ahead on the first metric, if any."),
});
export type ExperimentAnalysis = z.infer<typeof experimentAnalysisSchema>;

export const experimentStatusSchema = z
  .object({
    observedGeneration: z.number().int().optional(),
    conditions: z
      .array(experimentConditionSchema)
      .optional()
      .describe("Ready, Running, Concluded and SampleRatioMismatch conditions (kstatus convention)."),
    phase: experimentPhase.optional().describe(EXPERIMENT_PHASES.join(" | ")),
    analyzedAt: timestamp.optional().describe("When the results below were computed from the event store."),
    results: experimentAnalysisSchema.shape.results.optional(),
    sampleRatioMismatch: experimentAnalysisSchema.shape.sampleRatioMismatch.optional(),
    recommendation: experimentAnalysisSchema.shape.recommendation.optional(),
    leadingVariant: experimentAnalysisSchema.shape.leadingVariant,
  })
  .loose();
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;
