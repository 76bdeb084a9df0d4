// One FeatureFlag → its CompiledFlag in one environment. Runs only on validated flags.
import type { FeatureFlag, JsonValue, RuleSpec } from "../schema/index.ts";
import type { CompiledFlag, CompiledRule, WeightedVariant } from "../snapshot/snapshot.ts";
import { flagVariants, specForEnvironment } from "../validate/effective.ts";
import type { GuardDirective, GuardedRollout } from "./guard.ts";
import { resolveRollout } from "./rollout.ts";
import type { ScheduleState } from "./schedule.ts";
import { matcher, type SegmentLookup } from "./segments.ts";

export interface CompiledFlagResult {
  flag: CompiledFlag;
  /** percentage-based rollouts: the state in force (gradual and canary move with time) */
  rollout?: { strategy: string; state: ScheduleState; guarded?: GuardedRollout };
}

/** Guardrails are enforced only where someone checks them (the operator passes its directives). */
export interface FlagGuards {
  directive: GuardDirective | undefined;
}

/** key → variant; the first target listing a key wins (validation rejects keys listed twice). */
function compileTargets(targets: FeatureFlag["spec"]["targets"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const target of targets ?? []) {
    for (const key of target.values) if (!Object.hasOwn(out, key)) out[key] = target.variant;
  }
  return out;
}

function compileRule(rule: RuleSpec, index: number, lookup: SegmentLookup): CompiledRule {
  const compiled: CompiledRule = {
    name: rule.name ?? `rule-${index + 1}`,
    ...matcher(rule.segments, rule.conditions, lookup),
  };
  if (rule.serve.variant !== undefined) compiled.variant = rule.serve.variant;
  else if (rule.serve.split) compiled.split = rule.serve.split.map(({ variant, weight }) => ({ variant, weight }));
  return compiled;
}

export function compileFlag(
  flag: FeatureFlag,
  environment: string,
  lookup: SegmentLookup,
  now: number,
  guards?: FlagGuards,
): CompiledFlagResult {
  const key = flag.metadata.name;
  const spec = specForEnvironment(flag.spec, environment);
  const { variants, defaultVariant, offVariant } = flagVariants(spec);
  const values: Record<string, JsonValue> = {};
  for (const variant of variants) values[variant.name] = variant.value;
  const weighted = variants.filter((variant) => variant.weight !== undefined);
  const split: WeightedVariant[] | undefined =
    weighted.length > 0
      ? weighted.map((variant) => ({ variant: variant.name, weight: variant.weight ?? 0 }))
      : undefined;
  const compiled: CompiledFlag = {
    key,
    type: spec.type,
    variants: values,
    defaultVariant: defaultVariant ?? "",
    offVariant: offVariant ?? defaultVariant ?? "",
    enabled: spec.enabled,
    killSwitch: spec.killSwitch,
    prerequisites: (spec.prerequisites ?? []).map(({ flag: dependency, variants: allowed }) => ({
      flag: dependency,
      variants: allowed,
    })),
    targets: compileTargets(spec.targets),
    rules: (spec.rules ?? []).map((rule, index) => compileRule(rule, index, lookup)),
    splitSalt: `${key}/split`,
    hasTargeting: false,
  };
  if (split) compiled.split = split;
  const result: CompiledFlagResult = { flag: compiled };
  if (spec.rollout) {
    const resolved = resolveRollout(spec.rollout, {
      flagKey: key,
      defaultVariant: compiled.defaultVariant,
      split,
      lookup,
      now,
      environment,
      ...(guards ? { guards } : {}),
    });
    compiled.rollout = resolved.rollout;
    if (resolved.state) {
      result.rollout = { strategy: spec.rollout.strategy, state: resolved.state };
      if (resolved.guarded) result.rollout.guarded = resolved.guarded;
    }
  }
  return result;
}

/** STATIC vs DEFAULT: does anything in the flag look at the user? */
export function hasTargeting(flag: CompiledFlag): boolean {
  return (
    Object.keys(flag.targets).length > 0 ||
    flag.rules.length > 0 ||
    flag.rollout !== undefined ||
    flag.split !== undefined ||
    flag.experiment !== undefined
  );
}
