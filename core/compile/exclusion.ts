// Invalid resources are left out of the snapshot, and so is whatever depends on them: a flag
// whose prerequisite or segment is left out, an experiment whose flag or audience is.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import { problemFor } from "../validate/finding.ts";
import { segmentReferences } from "../validate/references.ts";
import type { Scope } from "../validate/scope.ts";

/** The resources a resource needs, with the path of the reference. */
function needs(
  resource: AnyResource,
  scope: Scope,
): { path: string; needed: AnyResource | undefined; label: string }[] {
  if (resource.kind === "FeatureFlag") {
    const segments = segmentReferences(resource).map(({ path, name }) => ({
      path,
      needed: scope.find("Segment", name, resource),
      label: `segment "${name}"`,
    }));
    const flags = (resource.spec.prerequisites ?? []).map((p, index) => ({
      path: `spec.prerequisites[${index}].flag`,
      needed: scope.find("FeatureFlag", p.flag, resource),
      label: `prerequisite flag "${p.flag}"`,
    }));
    return [...segments, ...flags];
  }
  if (resource.kind === "Experiment") {
    const { spec } = resource;
    return [
      { path: "spec.flag", needed: scope.find("FeatureFlag", spec.flag, resource), label: `flag "${spec.flag}"` },
      ...(spec.audience?.segments ?? []).map((name, index) => ({
        path: `spec.audience.segments[${index}]`,
        needed: scope.find("Segment", name, resource),
        label: `segment "${name}"`,
      })),
    ];
  }
  return [];
}

/** Grow `excluded` until nothing left depends on an excluded resource; reports each newly excluded one. */
export function excludeDependents(
  resources: readonly AnyResource[],
  excluded: Set<AnyResource>,
  scope: Scope,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const resource of resources) {
      if (excluded.has(resource)) continue;
      const broken = needs(resource, scope).find(({ needed }) => needed !== undefined && excluded.has(needed));
      if (!broken) continue;
      excluded.add(resource);
      changed = true;
      const message = `left out because ${broken.label} is invalid and left out`;
      problems.push(problemFor(resource, { code: ProblemCode.DEPENDENCY_EXCLUDED, path: broken.path, message }));
    }
  }
  return problems;
}
