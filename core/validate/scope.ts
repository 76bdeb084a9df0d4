// Name lookup between resources. A resource sees resources of its own namespace and those with
// no namespace (directory mode, where files leave metadata.namespace unset); compile passes
// `sameScope` because it has already kept only the resources of the namespace it compiles.
import type { AnyResource } from "../manifest/resource.ts";
import type { ExperimentResource, FeatureFlag, SegmentResource } from "../schema/index.ts";
import { scopeOf } from "./duplicates.ts";

type ByKind = { FeatureFlag: FeatureFlag; Segment: SegmentResource; Experiment: ExperimentResource };

export interface Scope {
  /** `from` is the resource making the reference; without it only unscoped names are found */
  find<K extends keyof ByKind>(kind: K, name: string, from?: AnyResource): ByKind[K] | undefined;
  /** names of a kind visible from a resource, for "did you mean" lists */
  names(kind: keyof ByKind, from: AnyResource): string[];
}

export function buildScope(resources: readonly AnyResource[], sameScope: boolean): Scope {
  const index = new Map<string, AnyResource>();
  for (const resource of resources) {
    const id = `${resource.kind}\0${scopeOf(resource, sameScope)}\0${resource.metadata.name}`;
    if (!index.has(id)) index.set(id, resource);
  }
  const visible = (from?: AnyResource) => [...new Set([from ? scopeOf(from, sameScope) : "", ""])];
  return {
    find<K extends keyof ByKind>(kind: K, name: string, from?: AnyResource) {
      for (const scope of visible(from)) {
        const found = index.get(`${kind}\0${scope}\0${name}`);
        if (found) return found as ByKind[K];
      }
      return undefined;
    },
    names(kind, from) {
      const scopes = visible(from);
      return resources
        .filter((r) => r.kind === kind && scopes.includes(scopeOf(r, sameScope)))
        .map((r) => r.metadata.name)
        .sort();
    },
  };
}
