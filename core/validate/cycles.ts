// Prerequisite cycles (a → b → a) would make evaluation recurse forever; every flag on a cycle
// is invalid, and the problem names the whole cycle so it can be broken at any point.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import type { FeatureFlag } from "../schema/index.ts";
import { problemFor } from "./finding.ts";
import type { Scope } from "./scope.ts";

function dependencies(flag: FeatureFlag, scope: Scope): FeatureFlag[] {
  return (flag.spec.prerequisites ?? [])
    .filter((p) => p.flag !== flag.metadata.name) // self-dependency is reported by validateFlag
    .map((p) => scope.find("FeatureFlag", p.flag, flag))
    .filter((f): f is FeatureFlag => f !== undefined);
}

/** Reported on the cycle's first flag, at its prerequisite on the next flag of the cycle. */
function cycleProblem(cycle: FeatureFlag[], names: string): ManifestProblem {
  const [first, second] = cycle as [FeatureFlag, FeatureFlag];
  const index = (first.spec.prerequisites ?? []).findIndex((p) => p.flag === second.metadata.name);
  const message = `prerequisite cycle: ${names}; remove one of these prerequisites`;
  return problemFor(first, {
    code: ProblemCode.PREREQUISITE_CYCLE,
    path: `spec.prerequisites[${index}].flag`,
    message,
  });
}

export function findCycles(
  resources: readonly AnyResource[],
  scope: Scope,
): { problems: ManifestProblem[]; members: Set<AnyResource> } {
  const state = new Map<FeatureFlag, "visiting" | "done">();
  const stack: FeatureFlag[] = [];
  const problems: ManifestProblem[] = [];
  const members = new Set<AnyResource>();
  const visit = (flag: FeatureFlag): void => {
    state.set(flag, "visiting");
    stack.push(flag);
    for (const next of dependencies(flag, scope)) {
      const seen = state.get(next);
      if (seen === undefined) visit(next);
      else if (seen === "visiting") {
        const cycle = stack.slice(stack.indexOf(next));
        cycle.forEach((member) => members.add(member));
        const names = [...cycle, next].map((f) => f.metadata.name).join(" → ");
        problems.push(cycleProblem(cycle, names));
      }
    }
    stack.pop();
    state.set(flag, "done");
  };
  for (const resource of resources) {
    if (resource.kind === "FeatureFlag" && !state.has(resource)) visit(resource);
  }
  return { problems, members };
}
