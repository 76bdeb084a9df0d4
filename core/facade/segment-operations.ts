// Segments on their own (create, update, delete), not only through addSegment. Names are taken
// as written (see names.ts); a delete is refused while a flag or experiment still uses it.
import { writtenNameOf } from "../names/resource-name.ts";
import type { SegmentResource } from "../schema/index.ts";
import { VexilError } from "./errors.ts";
import { segmentResource } from "./mapping.ts";
import { Segment } from "./model.ts";
import { claimName, requireNamed } from "./names.ts";
import { namedMetadata } from "../names/resource-name.ts";
import { remove, save, type Shared } from "./shared.ts";

function checkSegment(segment: unknown): Segment {
  if (!(segment instanceof Segment)) {
    throw new VexilError(
      "INVALID_ARGUMENT",
      'needs a Segment, e.g. new Segment({ name: "premium_users", rules: [...] })',
    );
  }
  return segment;
}

function toSegmentResource(shared: Shared, segment: Segment, name: string): SegmentResource {
  const resource = segmentResource(segment, shared.namespace);
  resource.metadata = namedMetadata(resource.metadata, segment.name, name);
  return resource;
}

export async function createSegment(shared: Shared, segment: Segment): Promise<SegmentResource> {
  const { name, existing } = await claimName(shared, "Segment", checkSegment(segment).name);
  if (existing !== undefined) {
    throw new VexilError("SEGMENT_EXISTS", `segment "${segment.name}" already exists; use updateSegment to change it`);
  }
  const [saved] = await save(shared, [
    { action: "created", before: undefined, after: toSegmentResource(shared, segment, name) },
  ]);
  return saved as SegmentResource;
}

/** Replaces the segment's definition (included, excluded, rules, match) with `segment`'s. */
export async function updateSegment(shared: Shared, name: string, segment: Segment): Promise<SegmentResource> {
  checkSegment(segment);
  if (segment.name !== name) {
    throw new VexilError("INVALID_ARGUMENT", `a segment's name cannot change ("${name}" → "${segment.name}")`);
  }
  const before = await requireNamed(shared, "Segment", name);
  const after = toSegmentResource(shared, segment, before.metadata.name);
  const [saved] = await save(shared, [{ action: "updated", before, after }]);
  return saved as SegmentResource;
}

/** Who refers to the stored segment name: flags' rules and rollouts, experiments' audiences. */
async function segmentUsers(shared: Shared, stored: string): Promise<string[]> {
  return (await shared.definitions.fresh()).flatMap((r) => {
    if (r.kind === "FeatureFlag") {
      const specs = [r.spec, ...Object.values(r.spec.environments ?? {})];
      const used = specs.some(
        (s) =>
          (s.rules ?? []).some((rule) => (rule.segments ?? []).includes(stored)) ||
          (s.rollout?.segments ?? []).includes(stored),
      );
      return used ? [`flag "${writtenNameOf(r)}"`] : [];
    }
    if (r.kind === "Experiment" && (r.spec.audience?.segments ?? []).includes(stored))
      return [`experiment "${writtenNameOf(r)}"`];
    return [];
  });
}

export async function deleteSegment(shared: Shared, name: string): Promise<void> {
  const segment = await requireNamed(shared, "Segment", name);
  const users = await segmentUsers(shared, segment.metadata.name);
  if (users.length > 0) {
    throw new VexilError(
      "SEGMENT_IN_USE",
      `segment "${name}" is used by ${users.join(", ")}; remove it from them first (removeSegment)`,
    );
  }
  await remove(shared, segment);
}
