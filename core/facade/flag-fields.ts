// The parts of a flag the YAML has beyond createFlag's original options, in the YAML's own
// shapes: prerequisites, individual targets, ordered rules and the rollout (every strategy by
// name). Flag and segment names inside them are taken as the user wrote them and stored as
// their DNS-1123 resource names, like the names of the resources themselves.
import { resourceNameFor } from "../names/resource-name.ts";
import type { Condition, FeatureFlagSpec, RolloutSpec, RuleSpec } from "../schema/index.ts";
import { TargetingRule } from "./model.ts";

export interface PrerequisiteInput {
  /** key of the flag that must serve one of `variants` */
  flag: string;
  variants: readonly string[];
}

export interface TargetInput {
  variant: string;
  /** targeting keys (user ids) served this variant */
  values: readonly string[];
}

export interface RuleInput {
  name?: string;
  /** the user must be in every listed segment */
  segments?: readonly string[];
  /** all must hold; TargetingRule instances or the YAML's `{ attribute, operator, values }` */
  conditions?: readonly (TargetingRule | Condition)[];
  serve: { variant: string } | { split: readonly { variant: string; weight: number }[] };
}

/** `{ strategy: "percentage" | "gradual" | "ring" | "canary" | "targeted", ... }` as in the YAML. */
export type RolloutInput = RolloutSpec;

export interface TargetingFields {
  prerequisites?: readonly PrerequisiteInput[] | null;
  targets?: readonly TargetInput[] | null;
  rules?: readonly RuleInput[] | null;
  rollout?: RolloutInput | null;
}

export const TARGETING_FIELDS = ["prerequisites", "targets", "rules", "rollout"] as const;

const stored = (name: string): string => resourceNameFor(name) ?? name;

function toRule(rule: RuleInput): RuleSpec {
  const spec: Record<string, unknown> = { ...rule };
  if (rule.segments !== undefined) spec.segments = rule.segments.map(stored);
  if (rule.conditions !== undefined) {
    spec.conditions = rule.conditions.map((c) => (c instanceof TargetingRule ? c.toCondition() : { ...c }));
  }
  spec.serve = structuredClone(rule.serve);
  return spec as RuleSpec;
}

function toRollout(rollout: RolloutInput): RolloutSpec {
  const spec = structuredClone(rollout);
  if (spec.segments !== undefined) spec.segments = spec.segments.map(stored);
  for (const ring of spec.rings ?? []) if (ring.segments !== undefined) ring.segments = ring.segments.map(stored);
  return spec;
}

/** Apply the given fields to `spec` (null removes one; undefined leaves it). */
export function applyTargetingFields(spec: FeatureFlagSpec, fields: TargetingFields): void {
  const set = <K extends keyof FeatureFlagSpec>(key: K, value: FeatureFlagSpec[K] | null | undefined) => {
    if (value === null) delete spec[key];
    else if (value !== undefined) spec[key] = value;
  };
  const { prerequisites, targets, rules, rollout } = fields;
  const absent = (value: unknown): value is null | undefined => value === null || value === undefined;
  set(
    "prerequisites",
    absent(prerequisites)
      ? prerequisites
      : prerequisites.map((p) => ({ flag: stored(p.flag), variants: [...p.variants] })),
  );
  set("targets", absent(targets) ? targets : targets.map((t) => ({ variant: t.variant, values: [...t.values] })));
  set("rules", absent(rules) ? rules : rules.map(toRule));
  set("rollout", absent(rollout) ? rollout : toRollout(rollout));
}
