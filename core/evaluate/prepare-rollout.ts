// Prepared rollouts: "percentage" (percentage, gradual and canary, resolved by compile to the
// percentage in force) and "audience" (ring and targeted: users matching any matcher).
import { saltState } from "../hashing/bucket.ts";
import { expectArray, expectNumber, expectObject, expectString } from "./shape.ts";
import { prepareMatcher } from "./segments.ts";
import type { PreparedAudienceRollout, PreparedPercentageRollout } from "./prepared.ts";
import { optionalSplit, type FlagParts } from "./variants.ts";

export interface RolloutParts {
  rollout: PreparedPercentageRollout | PreparedAudienceRollout | undefined;
  bucketBy: string | undefined;
}

export function prepareRollout(raw: unknown, flag: FlagParts): RolloutParts {
  if (raw === undefined) return { rollout: undefined, bucketBy: undefined };
  const rollout = expectObject(raw, "rollout");
  const bucketBy = rollout.bucketBy === undefined ? undefined : expectString(rollout.bucketBy, "rollout.bucketBy");
  const variant = flag.names.optionalRef(rollout.variant, "rollout.variant");
  const split = optionalSplit(rollout.split, flag.splitSalt, flag.names, "rollout.split");
  if (rollout.kind === "percentage") {
    const percentage = expectNumber(rollout.percentage, "rollout.percentage");
    const salt = saltState(expectString(rollout.salt, "rollout.salt"));
    return { rollout: { kind: "percentage", percentage, salt, variant, split }, bucketBy };
  }
  if (rollout.kind === "audience") {
    const matchers = expectArray(rollout.matchers, "rollout.matchers").map((m, i) =>
      prepareMatcher(m, `rollout.matchers[${i}]`),
    );
    return { rollout: { kind: "audience", matchers, variant, split }, bucketBy };
  }
  throw new Error('rollout.kind must be "percentage" or "audience"');
}
