// The compiled, self-contained JSON for one namespace and environment. Everything an
// evaluator or a local-evaluation SDK needs is in here: segments are inlined, per-environment
// overrides are applied, time-based rollouts are resolved to the percentage in force.
// It is plain JSON (no Maps, no RegExps) so every language can load it.
import type { FlagTypeName, JsonValue, Operator } from "../schema/primitives.ts";

export const SNAPSHOT_SCHEMA_VERSION = 1;

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  namespace: string;
  environment: string;
  /** sha256 (hex) of the canonical JSON of `flags`; the snapshot's version and ETag. */
  hash: string;
  /** Earliest time a time-based rollout changes; recompile then. Not part of the hash. */
  nextChangeAt?: string;
  flags: Record<string, CompiledFlag>;
}

/** A test of one context attribute: the schema's Condition, as plain JSON (compile checks they agree). */
export interface CompiledCondition {
  attribute: string;
  operator: Operator;
  values?: (string | number)[] | undefined;
  negate?: boolean | undefined;
  caseInsensitive?: boolean | undefined;
}

export interface CompiledSegment {
  name: string;
  /** Attribute compared with included/excluded; default "targetingKey". */
  key: string;
  included: string[];
  excluded: string[];
  match: "all" | "any";
  conditions: CompiledCondition[];
}

/** A rule, target or ring test: all segments and all conditions must hold. */
export interface CompiledMatcher {
  segments: CompiledSegment[];
  conditions: CompiledCondition[];
}

export interface WeightedVariant {
  variant: string;
  weight: number;
}

export interface CompiledRule extends CompiledMatcher {
  name: string;
  /** exactly one of variant / split */
  variant?: string;
  split?: WeightedVariant[];
}

export type CompiledRollout =
  | {
      /** percentage, gradual and canary resolve to this at compile time */
      kind: "percentage";
      strategy: "percentage" | "gradual" | "canary";
      percentage: number;
      bucketBy: string;
      salt: string;
      variant?: string;
      split?: WeightedVariant[];
      /** gradual/canary: index of the step in force, for status and audit */
      step?: number;
      /** guarded rollouts: evaluators record each user's side ("inside"/"outside") under this exposure key */
      guard?: { exposures: string };
    }
  | {
      /** ring and targeted: users matching any matcher are inside */
      kind: "audience";
      strategy: "ring" | "targeted";
      matchers: CompiledMatcher[];
      variant?: string;
      split?: WeightedVariant[];
      salt: string;
      bucketBy: string;
    };

export interface CompiledExperiment {
  name: string;
  traffic: number;
  audience: CompiledMatcher;
  split: WeightedVariant[];
  control: string;
  salt: string;
}

export interface CompiledFlag {
  key: string;
  type: FlagTypeName;
  variants: Record<string, JsonValue>;
  defaultVariant: string;
  offVariant: string;
  enabled: boolean;
  killSwitch: boolean;
  prerequisites: { flag: string; variants: string[] }[];
  /** targetingKey → variant */
  targets: Record<string, string>;
  rules: CompiledRule[];
  rollout?: CompiledRollout;
  experiment?: CompiledExperiment;
  /** weighted variants without rules (spec.variants[].weight) */
  split?: WeightedVariant[];
  /** salt for variant splits; distinct from the rollout's so inclusion and choice are independent */
  splitSalt: string;
  /** true when the flag has targets, rules, rollout, split or experiment: decides STATIC vs DEFAULT */
  hasTargeting: boolean;
  metadata?: Record<string, string | number | boolean>;
}
