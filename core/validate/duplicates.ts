// The same kind and name twice in one namespace: Kubernetes would keep only the last applied,
// so in git it is always a mistake. The first definition stays; later ones are problems.
import { ProblemCode, type ManifestProblem, formatProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import { locate } from "../manifest/source.ts";
import { problemFor } from "./finding.ts";

/** Namespace a resource is looked up in; `sameScope` treats everything as one namespace (compile). */
export function scopeOf(resource: AnyResource, sameScope: boolean): string {
  return sameScope ? "" : (resource.metadata.namespace ?? "");
}

function where(resource: AnyResource): string {
  return formatProblem({ ...locate(resource), code: ProblemCode.DUPLICATE_RESOURCE, message: "" }).replace(/: $/, "");
}

export function findDuplicates(
  resources: readonly AnyResource[],
  sameScope = false,
): { problems: ManifestProblem[]; duplicates: Set<AnyResource> } {
  const first = new Map<string, AnyResource>();
  const problems: ManifestProblem[] = [];
  const duplicates = new Set<AnyResource>();
  for (const resource of resources) {
    const id = `${resource.kind}\0${scopeOf(resource, sameScope)}\0${resource.metadata.name}`;
    const original = first.get(id);
    if (!original) {
      first.set(id, resource);
      continue;
    }
    duplicates.add(resource);
    const message = `${resource.kind} "${resource.metadata.name}" is defined more than once: first at ${where(original)}, again at ${where(resource)}`;
    problems.push(problemFor(resource, { code: ProblemCode.DUPLICATE_RESOURCE, path: "metadata.name", message }));
  }
  return { problems, duplicates };
}
