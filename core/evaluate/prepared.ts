// The runtime form of a compiled flag: everything evaluation needs, parsed once per snapshot
// (Maps and Sets instead of arrays, split thresholds, compiled regexes, frozen metadata).
import type { FlagTypeName, JsonValue } from "../schema/primitives.ts";
import type { SaltState } from "../hashing/bucket.ts";
import type { Reason } from "./result.ts";
import type { PreparedMatcher } from "./segments.ts";

/** A declared variant: results copy its name and value without a lookup. */
export interface PreparedVariant {
  name: string;
  value: JsonValue;
}

export type Metadata = Readonly<Record<string, string | number | boolean>>;

export interface PreparedSplit {
  variants: PreparedVariant[];
  /** upper bucket bound per variant (core/hashing/bucket.ts defines them) */
  thresholds: number[];
  salt: SaltState;
}

export interface PreparedRule extends PreparedMatcher {
  name: string;
  variant: PreparedVariant | undefined;
  split: PreparedSplit | undefined;
  metadata: Metadata | undefined;
}

export interface PreparedPercentageRollout {
  kind: "percentage";
  percentage: number;
  salt: SaltState;
  variant: PreparedVariant | undefined;
  split: PreparedSplit | undefined;
}

export interface PreparedAudienceRollout {
  kind: "audience";
  matchers: PreparedMatcher[];
  variant: PreparedVariant | undefined;
  split: PreparedSplit | undefined;
}

export interface PreparedExperiment {
  name: string;
  traffic: number;
  audience: PreparedMatcher;
  split: PreparedSplit;
  /** `${salt}/traffic`: enrollment is hashed apart from assignment */
  enrollmentSalt: SaltState;
  metadata: Metadata;
}

/** What a flag serves whatever the context: killed or disabled, or with nothing to decide. */
export interface FixedAnswer {
  variant: PreparedVariant;
  reason: Reason;
}

export interface PreparedPrerequisite {
  flag: string;
  variants: Set<string>;
}

export interface PreparedFlag {
  key: string;
  type: FlagTypeName;
  variants: Map<string, PreparedVariant>;
  defaultVariant: PreparedVariant;
  offVariant: PreparedVariant;
  enabled: boolean;
  killSwitch: boolean;
  prerequisites: PreparedPrerequisite[];
  targets: Map<string, PreparedVariant>;
  rules: PreparedRule[];
  rollout: PreparedPercentageRollout | PreparedAudienceRollout | undefined;
  experiment: PreparedExperiment | undefined;
  split: PreparedSplit | undefined;
  /** attribute hashed for rollouts, splits and experiments (falls back to targetingKey) */
  bucketBy: string;
  hasTargeting: boolean;
  metadata: Metadata | undefined;
  /** set when the answer does not depend on the context: evaluation skips the decision steps */
  fixed: FixedAnswer | undefined;
}
