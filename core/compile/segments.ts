// Segments are inlined where they are used so the snapshot is self-contained: an evaluator or
// SDK never resolves a name.
import type { CompiledMatcher, CompiledSegment } from "../snapshot/snapshot.ts";
import type { Condition, SegmentResource } from "../schema/index.ts";

export type SegmentLookup = (name: string) => SegmentResource | undefined;

export function compileSegment(segment: SegmentResource): CompiledSegment {
  const { spec } = segment;
  return {
    name: segment.metadata.name,
    key: spec.key ?? "targetingKey",
    included: spec.included ?? [],
    excluded: spec.excluded ?? [],
    match: spec.match,
    conditions: spec.conditions ?? [],
  };
}

/** Validation guarantees every name resolves; an unresolved one here is a bug, so it throws. */
export function inlineSegments(names: readonly string[] | undefined, lookup: SegmentLookup): CompiledSegment[] {
  return (names ?? []).map((name) => {
    const segment = lookup(name);
    if (!segment) throw new Error(`compile: segment "${name}" was not resolved by validation`);
    return compileSegment(segment);
  });
}

export function matcher(
  segments: readonly string[] | undefined,
  conditions: Condition[] | undefined,
  lookup: SegmentLookup,
): CompiledMatcher {
  return { segments: inlineSegments(segments, lookup), conditions: conditions ?? [] };
}
