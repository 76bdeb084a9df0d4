// Evaluation cost: an upper bound on the work one evaluation of a flag can do, estimated from
// its spec, and refused above FLAG_COST_BUDGET. Units (core/limits.ts): a condition costs one
// per value it compares (at least one); a regex value costs its RE2 program size times the
// characters it may read (MAX_REGEX_INPUT_LENGTH); a segment adds one for its included/excluded
// lookup. A flag's cost is the costliest of its environments, plus the cost of every flag its
// prerequisites reach, each counted once (evaluation memoises them the same way).
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import type { Condition, FeatureFlag, FeatureFlagSpec } from "../schema/index.ts";
import { FLAG_COST_BUDGET, MAX_REGEX_INPUT_LENGTH, MAX_REGEX_PROGRAM_SIZE } from "../limits.ts";
import { compileRegex } from "./condition.ts";
import { problemFor } from "./finding.ts";
import type { Scope } from "./scope.ts";

function regexCost(pattern: string | number, caseInsensitive: boolean): number {
  try {
    const size = compileRegex(String(pattern), caseInsensitive).programSize();
    // a program over the size limit is its own problem (INVALID_REGEX), not counted twice
    return size > MAX_REGEX_PROGRAM_SIZE ? 0 : size * MAX_REGEX_INPUT_LENGTH;
  } catch {
    return 0; // an invalid regex is its own problem; it never runs
  }
}

export function conditionsCost(conditions: readonly Condition[] | undefined): number {
  let cost = 0;
  for (const condition of conditions ?? []) {
    const values = condition.values ?? [];
    if (condition.operator !== "regex") cost += Math.max(1, values.length);
    else for (const value of values) cost += regexCost(value, condition.caseInsensitive === true);
  }
  return cost;
}

function segmentsCost(names: readonly string[] | undefined, flag: FeatureFlag, scope: Scope): number {
  let cost = 0;
  for (const name of names ?? []) cost += 1 + conditionsCost(scope.find("Segment", name, flag)?.spec.conditions);
  return cost;
}

/** The targeting of one environment's spec: rules, then the rollout's segments and rings. */
function targetingCost(spec: Pick<FeatureFlagSpec, "rules" | "rollout">, flag: FeatureFlag, scope: Scope): number {
  let cost = 1;
  for (const rule of spec.rules ?? [])
    cost += segmentsCost(rule.segments, flag, scope) + conditionsCost(rule.conditions);
  const rollout = spec.rollout;
  if (rollout !== undefined) {
    cost += segmentsCost(rollout.segments, flag, scope);
    for (const ring of rollout.rings ?? []) cost += 1 + segmentsCost(ring.segments, flag, scope);
  }
  return cost;
}

/** The flag's own cost: its costliest environment (overrides replace rules and rollout). */
export function ownCost(flag: FeatureFlag, scope: Scope): number {
  let cost = targetingCost(flag.spec, flag, scope);
  for (const override of Object.values(flag.spec.environments ?? {})) {
    const effective = { rules: override.rules ?? flag.spec.rules, rollout: override.rollout ?? flag.spec.rollout };
    cost = Math.max(cost, targetingCost(effective, flag, scope));
  }
  return cost;
}

type Graph = Map<FeatureFlag, FeatureFlag[]>;

/** Own cost plus each flag the prerequisites reach, once; stops counting past the budget. */
function totalCost(flag: FeatureFlag, own: Map<FeatureFlag, number>, graph: Graph): number {
  const seen = new Set<FeatureFlag>([flag]);
  const pending = [flag];
  let cost = 0;
  while (pending.length > 0 && cost <= FLAG_COST_BUDGET) {
    const next = pending.pop()!;
    cost += own.get(next) ?? 0;
    for (const required of graph.get(next) ?? []) {
      if (!seen.has(required)) {
        seen.add(required);
        pending.push(required);
      }
    }
  }
  return cost;
}

/**
 * A cheap upper bound first: own cost plus the bounds of the prerequisites, summed over paths
 * (a shared prerequisite counts once per path). Only flags over the budget by that bound get
 * the exact count over their distinct prerequisites. `graph` is acyclic (cycles are left out).
 */
function pathBounds(flags: FeatureFlag[], own: Map<FeatureFlag, number>, graph: Graph): Map<FeatureFlag, number> {
  const bounds = new Map<FeatureFlag, number>();
  for (const root of flags) {
    const stack = [root];
    while (stack.length > 0) {
      const flag = stack[stack.length - 1]!;
      if (bounds.has(flag)) {
        stack.pop();
        continue;
      }
      const pending = (graph.get(flag) ?? []).filter((next) => !bounds.has(next));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      let bound = own.get(flag) ?? 0;
      for (const next of graph.get(flag) ?? []) bound = Math.min(bound + bounds.get(next)!, Number.MAX_SAFE_INTEGER);
      bounds.set(flag, bound);
      stack.pop();
    }
  }
  return bounds;
}

/**
 * Flags whose evaluation could cost more than FLAG_COST_BUDGET units. Flags in `skip` (on a
 * cycle, or too deep: already invalid) are neither checked nor followed.
 */
export function findCostlyFlags(
  resources: readonly AnyResource[],
  scope: Scope,
  skip: ReadonlySet<AnyResource> = new Set(),
): { problems: ManifestProblem[]; members: Set<AnyResource> } {
  const flags = resources.filter((r): r is FeatureFlag => r.kind === "FeatureFlag" && !skip.has(r));
  const own = new Map(flags.map((flag) => [flag, ownCost(flag, scope)]));
  const graph: Graph = new Map(
    flags.map((flag) => [
      flag,
      (flag.spec.prerequisites ?? [])
        .map((p) => scope.find("FeatureFlag", p.flag, flag))
        .filter((f): f is FeatureFlag => f !== undefined && f !== flag && own.has(f)),
    ]),
  );
  const bounds = pathBounds(flags, own, graph);
  const problems: ManifestProblem[] = [];
  const members = new Set<AnyResource>();
  for (const flag of flags) {
    if (bounds.get(flag)! <= FLAG_COST_BUDGET) continue;
    const cost = totalCost(flag, own, graph);
    if (cost <= FLAG_COST_BUDGET) continue;
    members.add(flag);
    const mine = own.get(flag) ?? 0;
    const where = mine > FLAG_COST_BUDGET ? "its own rules, segments and rollout" : "with its prerequisites";
    const message =
      `evaluating this flag could cost more than ${FLAG_COST_BUDGET} units (${where}; its own targeting: ${mine}), ` +
      `the budget that keeps every evaluation fast: use fewer or simpler regexes and fewer condition values ` +
      `(see docs/limits.md)`;
    problems.push(problemFor(flag, { code: ProblemCode.EVALUATION_TOO_COSTLY, path: "spec", message }));
  }
  return { problems, members };
}
