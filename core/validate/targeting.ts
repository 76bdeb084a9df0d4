// Checks for the parts of a flag an environment may override: targets, rules, rollout and
// defaultVariant. They run on the flag's own spec and again on each environment's overrides.
import { ProblemCode } from "../manifest/problem.ts";
import type { FeatureFlagSpec, RuleSpec } from "../schema/index.ts";
import { checkConditions } from "./condition.ts";
import { join, unknownVariant, type Finding } from "./finding.ts";
import { checkRollout } from "./rollout.ts";

type Overridable = Pick<FeatureFlagSpec, "targets" | "rules" | "rollout">;

/** Weights of a split must leave some traffic somewhere. */
export function checkSplit(
  split: readonly { variant: string; weight: number }[],
  variants: readonly string[],
  path: string,
): Finding[] {
  const findings = split.flatMap((entry, index) =>
    variants.includes(entry.variant) ? [] : [unknownVariant(join(path, `[${index}].variant`), entry.variant, variants)],
  );
  if (split.length > 0 && split.reduce((sum, entry) => sum + entry.weight, 0) <= 0) {
    findings.push({ code: ProblemCode.INVALID_SPLIT, path, message: "weights must add up to more than 0 (all are 0)" });
  }
  return findings;
}

function checkTargets(targets: Overridable["targets"], variants: readonly string[], path: string): Finding[] {
  const findings: Finding[] = [];
  const owner = new Map<string, number>();
  (targets ?? []).forEach((target, index) => {
    const at = join(path, `targets[${index}]`);
    if (!variants.includes(target.variant))
      findings.push(unknownVariant(join(at, "variant"), target.variant, variants));
    for (const key of new Set(target.values)) {
      const first = owner.get(key);
      if (first === undefined) {
        owner.set(key, index);
        continue;
      }
      const message = `"${key}" is already targeted by ${join(path, `targets[${first}]`)}; a user may be pinned to one variant only`;
      findings.push({ code: ProblemCode.DUPLICATE_TARGET, path: join(at, "values"), message });
    }
  });
  return findings;
}

function checkRule(rule: RuleSpec, variants: readonly string[], path: string): Finding[] {
  const findings = checkConditions(rule.conditions, path);
  const { variant, split } = rule.serve;
  if ((variant === undefined) === (split === undefined)) {
    const message = "must give exactly one of variant or split";
    findings.push({ code: ProblemCode.INVALID_SERVE, path: join(path, "serve"), message });
  }
  if (variant !== undefined && !variants.includes(variant)) {
    findings.push(unknownVariant(join(path, "serve.variant"), variant, variants));
  }
  if (split) findings.push(...checkSplit(split, variants, join(path, "serve.split")));
  return findings;
}

/** Problems in targets, rules and rollout under `path` ("spec" or "spec.environments.<env>"). */
export function checkTargeting(spec: Overridable, variants: readonly string[], path: string): Finding[] {
  const findings = checkTargets(spec.targets, variants, path);
  (spec.rules ?? []).forEach((rule, index) =>
    findings.push(...checkRule(rule, variants, join(path, `rules[${index}]`))),
  );
  if (spec.rollout) findings.push(...checkRollout(spec.rollout, variants, join(path, "rollout")));
  return findings;
}
