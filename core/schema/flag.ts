// FeatureFlag: the resource platform engineers `kubectl apply`.
import { z } from "zod";
import {
  API_GROUP_VERSION,
  attributeName,
  conditionSchema,
  conditionType,
  duration,
  environmentName,
  jsonValue,
  metadataSchema,
  percentage,
  resourceName,
  statusConditionSchema,
  timestamp,
  variantName,
} from "./common.ts";
import { FLAG_TYPES } from "./primitives.ts";
import { guardrailsSchema, guardrailsStatusSchema } from "./guardrails.ts";

export { FLAG_TYPES, type FlagTypeName } from "./primitives.ts";

/** Per-flag environment overrides; the CRD states the same bound (CEL cost needs one). */
export const MAX_ENVIRONMENTS = 20;

export const ROLLOUT_STRATEGIES = ["percentage", "gradual", "ring", "canary", "targeted"] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export const variantSchema = z
  .object({
    name: variantName,
    value: jsonValue.describe("Value served for this variant; its JSON type must match spec.type."),
    weight: z
      .number()
      .min(0)
      .max(100000)
      .optional()
      .describe("Relative weight when the flag splits traffic across variants without a rule deciding."),
    description: z.string().max(1024).optional(),
  })
  .strict();
export type VariantSpec = z.infer<typeof variantSchema>;

export const weightedVariantSchema = z
  .object({
    variant: variantName,
    weight: z.number().min(0).max(100000).describe("Relative weight; weights need not sum to 100."),
  })
  .strict();

export const serveSchema = z
  .object({
    variant: variantName.optional().describe("Serve this variant to everyone the rule matches."),
    split: z
      .array(weightedVariantSchema)
      .min(1)
      .max(100)
      .optional()
      .describe("Split the users the rule matches across variants by weight (reason SPLIT)."),
  })
  .strict()
  .describe("What a rule serves: exactly one of variant or split.");

export const ruleSchema = z
  .object({
    name: z.string().max(253).optional().describe("Name shown in evaluation metadata and audit."),
    segments: z.array(resourceName).max(50).optional().describe("Segments the user must all belong to."),
    conditions: z.array(conditionSchema).max(100).optional().describe("Conditions that must all hold."),
    serve: serveSchema,
  })
  .strict()
  .describe("Targeting rule; rules are tried in order and the first match wins.");
export type RuleSpec = z.infer<typeof ruleSchema>;

export const targetSchema = z
  .object({
    variant: variantName,
    values: z.array(z.string().max(1024)).max(10000).describe("Targeting keys (user ids) served this variant."),
  })
  .strict()
  .describe("Individual users pinned to a variant.");

export const prerequisiteSchema = z
  .object({
    flag: resourceName.describe("Key of the flag this flag depends on (same namespace)."),
    variants: z.array(variantName).min(1).max(100).describe("The prerequisite must evaluate to one of these."),
  })
  .strict();

export const ringSchema = z
  .object({
    name: z.string().min(1).max(63),
    segments: z.array(resourceName).max(50).optional().describe("Users in any of these segments are in the ring."),
    attribute: attributeName.optional().describe("Attribute tested against values (default targetingKey)."),
    values: z.array(z.string().max(1024)).max(10000).optional().describe("Attribute values that are in the ring."),
  })
  .strict();

export const canaryStepSchema = z
  .object({
    after: duration.describe("Time after the canary start when this percentage takes effect."),
    percentage,
  })
  .strict();

export const rolloutSchema = z
  .object({
    strategy: z.enum(ROLLOUT_STRATEGIES).describe("percentage | gradual | ring | canary | targeted"),
    variant: variantName
      .optional()
      .describe(
        "Variant served inside the rollout; default: a weighted split if variants have weights, else defaultVariant.",
      ),
    percentage: percentage.optional().describe("percentage and canary: share of users inside the rollout (0-100)."),
    bucketBy: attributeName.optional().describe("Attribute hashed to place a user (default targetingKey)."),
    salt: z.string().max(253).optional().describe("Hash salt; default the flag key. Change it to reshuffle users."),
    from: percentage.optional().describe("gradual: starting percentage."),
    to: percentage.optional().describe("gradual: final percentage."),
    start: timestamp.optional().describe("gradual and canary: when the schedule starts."),
    duration: duration.optional().describe("gradual: time from `from` to `to`."),
    steps: z.number().int().min(1).max(1000).optional().describe("gradual: number of equal steps (default 10)."),
    pausedAt: timestamp.optional().describe("gradual and canary: freeze the schedule as it stood at this time."),
    rings: z.array(ringSchema).min(1).max(20).optional().describe("ring: ordered rings, innermost first."),
    currentRing: z.string().max(63).optional().describe("ring: name of the outermost ring currently served."),
    promote: z.array(canaryStepSchema).max(20).optional().describe("canary: later percentages, by time since start."),
    segments: z.array(resourceName).max(50).optional().describe("targeted: only members of these segments."),
    guardrails: guardrailsSchema.optional(),
  })
  .strict()
  .describe("How traffic that no target or rule decided is rolled out.");
export type RolloutSpec = z.infer<typeof rolloutSchema>;

export const environmentOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    killSwitch: z.boolean().optional(),
    defaultVariant: variantName.optional(),
    targets: z.array(targetSchema).max(100).optional(),
    rules: z.array(ruleSchema).max(200).optional(),
    rollout: rolloutSchema.optional(),
  })
  .strict()
  .describe("Per-environment overrides; fields given replace the flag's own.");

export const featureFlagSpecSchema = z
  .object({
    description: z.string().max(4096).optional(),
    type: z.enum(FLAG_TYPES).default("boolean").describe("boolean | string | number | json"),
    enabled: z.boolean().default(true).describe("false: everyone gets offVariant (reason DISABLED)."),
    killSwitch: z
      .boolean()
      .default(false)
      .describe("true: everyone gets offVariant in every environment; overrides everything else."),
    variants: z
      .array(variantSchema)
      .max(100)
      .optional()
      .describe('Possible values. Boolean flags default to [{name: "on", value: true}, {name: "off", value: false}].'),
    defaultVariant: variantName
      .optional()
      .describe('Served when nothing else decides (default "on" for boolean flags).'),
    offVariant: variantName
      .optional()
      .describe('Served when the flag is off or killed (default "off" for boolean flags).'),
    prerequisites: z.array(prerequisiteSchema).max(20).optional(),
    targets: z.array(targetSchema).max(100).optional(),
    rules: z.array(ruleSchema).max(200).optional(),
    rollout: rolloutSchema.optional(),
    environments: z
      .record(environmentName, environmentOverrideSchema)
      .refine((overrides) => Object.keys(overrides).length <= MAX_ENVIRONMENTS, {
        message: `at most ${MAX_ENVIRONMENTS} environments`,
      })
      .optional(),
    owner: z.string().max(253).optional().describe("Team or person responsible, for stale-flag reports."),
    staleAfter: duration
      .optional()
      .describe("The flag is Stale when not evaluated for this long (default: the operator's --stale-after, 30d)."),
    tags: z.array(z.string().max(63)).max(50).optional(),
  })
  .strict();
export type FeatureFlagSpec = z.infer<typeof featureFlagSpecSchema>;
export type FeatureFlagSpecInput = z.input<typeof featureFlagSpecSchema>;

/** Flags add Stale (the operator's usage pass) and RolledBack (guarded rollouts) to the kstatus conditions. */
export const FLAG_CONDITION_TYPES = [...conditionType.options, "Stale", "RolledBack"] as const;
export const flagConditionSchema = statusConditionSchema.extend({
  type: z.enum(FLAG_CONDITION_TYPES).describe(FLAG_CONDITION_TYPES.join(" | ")),
});

/** Why a flag is Stale (reason of the Stale condition when True). */
export const STALE_REASONS = ["NeverEvaluated", "NotEvaluated", "SingleVariant"] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

export const flagUsageStatusSchema = z
  .object({
    evaluations24h: z.number().int().min(0).describe("Evaluations in the last 24 hours, every environment."),
    lastEvaluatedAt: timestamp.optional().describe("Last evaluation recorded in the event store."),
    variants24h: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .describe("Evaluations in the last 24 hours per variant served."),
  })
  .describe("Usage from the evaluators' rollups in the event store.");

export const featureFlagStatusSchema = z
  .object({
    observedGeneration: z.number().int().optional(),
    conditions: z.array(flagConditionSchema).optional(),
    usage: flagUsageStatusSchema.optional(),
    environments: z
      .record(
        z.string(),
        z.object({
          snapshotVersion: z.string().optional(),
          configMap: z.string().optional(),
          rolloutPercentage: z.number().optional(),
          rolloutStep: z.number().int().optional(),
          nextStepAt: z.string().optional(),
          guardrails: guardrailsStatusSchema.optional(),
        }),
      )
      .optional(),
  })
  .loose();

export const featureFlagSchema = z
  .object({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal("FeatureFlag"),
    metadata: metadataSchema,
    spec: featureFlagSpecSchema,
    status: featureFlagStatusSchema.optional(),
  })
  .describe("A feature flag; the flag key is metadata.name.");
export type FeatureFlag = z.infer<typeof featureFlagSchema>;
