// Traffic decisions that hash the user: weighted splits, experiments and rollouts.
// Bucketing itself (hash, bucket, thresholds) is defined in core/hashing/bucket.ts.
import { isInsideRollout, pickSplit, saltedBucket } from "../hashing/bucket.ts";
import { bucketValueOf, type Context } from "./context.ts";
import type {
  Metadata,
  PreparedAudienceRollout,
  PreparedExperiment,
  PreparedFlag,
  PreparedPercentageRollout,
  PreparedSplit,
} from "./prepared.ts";
import { Reason, type EvaluateOptions, type EvaluationResult } from "./result.ts";
import { served, targetingKeyMissing } from "./results.ts";
import { matches } from "./segments.ts";

/** Serves the variant owning the user's bucket; a user without a bucketing value is an error. */
export function serveSplit(
  flag: PreparedFlag,
  split: PreparedSplit,
  context: Context,
  options: EvaluateOptions | undefined,
  metadata: Metadata | undefined,
): EvaluationResult {
  const value = bucketValueOf(context, flag.bucketBy);
  if (value === undefined) return targetingKeyMissing(flag, options);
  const index = pickSplit(split.thresholds, saltedBucket(split.salt, value));
  return served(flag, split.variants[index]!, Reason.SPLIT, metadata);
}

/**
 * An experiment enrolls audience members whose enrollment bucket is inside its traffic share
 * and assigns them by its own split. Others (and users without a bucketing value, who cannot be
 * assigned stably) are not enrolled: undefined lets evaluation continue to the rollout.
 */
export function decideExperiment(
  flag: PreparedFlag,
  experiment: PreparedExperiment,
  context: Context,
): EvaluationResult | undefined {
  if (!matches(experiment.audience, context)) return undefined;
  const value = bucketValueOf(context, flag.bucketBy);
  if (value === undefined) return undefined;
  if (!isInsideRollout(saltedBucket(experiment.enrollmentSalt, value), experiment.traffic)) return undefined;
  const split = experiment.split;
  const index = pickSplit(split.thresholds, saltedBucket(split.salt, value));
  return served(flag, split.variants[index]!, Reason.SPLIT, experiment.metadata);
}

/** What users inside a rollout get: its variant, else its split, else the flag's split, else defaultVariant. */
function insideRollout(
  flag: PreparedFlag,
  rollout: PreparedPercentageRollout | PreparedAudienceRollout,
  context: Context,
  options: EvaluateOptions | undefined,
  reason: Reason,
): EvaluationResult {
  if (rollout.variant !== undefined) return served(flag, rollout.variant, reason, flag.metadata);
  const split = rollout.split ?? flag.split;
  if (split !== undefined) return serveSplit(flag, split, context, options, flag.metadata);
  return served(flag, flag.defaultVariant, reason, flag.metadata);
}

/**
 * Percentage rollouts hash the user (0% and 100% need no bucketing value: nobody, everybody);
 * ring and targeted rollouts take users matching any of their matchers.
 * Users outside get offVariant with reason DEFAULT.
 */
export function decideRollout(
  flag: PreparedFlag,
  rollout: PreparedPercentageRollout | PreparedAudienceRollout,
  context: Context,
  options: EvaluateOptions | undefined,
): EvaluationResult {
  let inside = false;
  if (rollout.kind === "audience") {
    for (const matcher of rollout.matchers) {
      if (matches(matcher, context)) {
        inside = true;
        break;
      }
    }
    if (inside) return insideRollout(flag, rollout, context, options, Reason.TARGETING_MATCH);
  } else if (rollout.percentage >= 100) {
    inside = true;
  } else if (rollout.percentage > 0) {
    const value = bucketValueOf(context, flag.bucketBy);
    if (value === undefined) return targetingKeyMissing(flag, options);
    inside = isInsideRollout(saltedBucket(rollout.salt, value), rollout.percentage);
  }
  if (!inside) return served(flag, flag.offVariant, Reason.DEFAULT, flag.metadata);
  return insideRollout(flag, rollout, context, options, Reason.SPLIT);
}
