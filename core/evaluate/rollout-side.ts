// Which side of a guarded rollout an evaluation landed on, read from its result. With a rollout
// in the flag, the engine answers SPLIT inside it and offVariant with DEFAULT outside it
// (core/evaluate/rollout.ts); targets, rules (compile names every rule, so its answers carry a
// `rule` entry) and experiments answer before the rollout and are neither side. Evaluators
// record the side as an exposure so the operator can compare the two groups.
import type { CompiledFlag } from "../snapshot/snapshot.ts";
import { Reason, type EvaluationResult } from "./result.ts";

export type RolloutSide = "inside" | "outside";

/** The side of `flag`'s guarded rollout `result` came from, or undefined when the rollout did not decide it. */
export function rolloutSide(flag: CompiledFlag, result: EvaluationResult): RolloutSide | undefined {
  if (flag.rollout?.kind !== "percentage" || result.errorCode !== undefined || result.variant === undefined) {
    return undefined;
  }
  const metadata = result.metadata;
  if (metadata !== undefined && (Object.hasOwn(metadata, "rule") || Object.hasOwn(metadata, "experiment"))) {
    return undefined;
  }
  if (result.reason === Reason.SPLIT) return "inside";
  if (result.reason === Reason.DEFAULT && result.variant === flag.offVariant) return "outside";
  return undefined;
}
