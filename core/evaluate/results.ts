// Building evaluation results. Metadata objects are prepared once per flag and rule and are
// frozen, because many results share them.
import { ErrorCode, Reason, type EvaluateOptions, type EvaluationResult } from "./result.ts";
import type { Metadata, PreparedFlag, PreparedVariant } from "./prepared.ts";

export function served(
  flag: PreparedFlag,
  variant: PreparedVariant,
  reason: Reason,
  metadata: Metadata | undefined,
): EvaluationResult {
  // One literal per shape: adding `metadata` afterwards would reallocate the object.
  if (metadata === undefined) return { key: flag.key, value: variant.value, variant: variant.name, reason };
  return {
    key: flag.key,
    value: variant.value,
    variant: variant.name,
    reason,
    metadata: metadata as Record<string, string | number | boolean>,
  };
}

export function failure(
  key: string,
  options: EvaluateOptions | undefined,
  errorCode: ErrorCode,
  errorMessage: string,
): EvaluationResult {
  return { key, value: options?.defaultValue, reason: Reason.ERROR, errorCode, errorMessage };
}

export function targetingKeyMissing(flag: PreparedFlag, options: EvaluateOptions | undefined): EvaluationResult {
  const by = flag.bucketBy === "targetingKey" ? "targetingKey" : `"${flag.bucketBy}" or targetingKey`;
  return failure(
    flag.key,
    options,
    ErrorCode.TARGETING_KEY_MISSING,
    `flag "${flag.key}" buckets users by ${by}, and the context has none`,
  );
}
