// The TypeScript API takes names as the user writes them (`premium_users`) and stores the
// DNS-1123 name Kubernetes needs (`premium-users`), keeping the written one in an annotation
// (core/names/resource-name.ts). Lookups go by the written name; a new name whose derived
// resource name another resource already has is a NAME_COLLISION naming both.
import { resourceNameFor, writtenNameOf } from "../names/resource-name.ts";
import type { ResourceKind } from "../schema/index.ts";
import { VexilError, type VexilErrorCode } from "./errors.ts";
import type { Shared } from "./shared.ts";
import type { ResourceOfKind } from "./storage/storage.ts";

const WORDS: Record<ResourceKind, { what: string; invalid: VexilErrorCode; missing: VexilErrorCode }> = {
  FeatureFlag: { what: "flag", invalid: "INVALID_FLAG", missing: "FLAG_NOT_FOUND" },
  Segment: { what: "segment", invalid: "INVALID_SEGMENT", missing: "SEGMENT_NOT_FOUND" },
  Experiment: { what: "experiment", invalid: "INVALID_EXPERIMENT", missing: "EXPERIMENT_NOT_FOUND" },
};

/** The resource name a written name is stored under; INVALID_* when nothing usable is left. */
export function storedName(kind: ResourceKind, written: unknown): string {
  const derived = typeof written === "string" ? resourceNameFor(written) : undefined;
  if (derived === undefined) {
    const { what, invalid } = WORDS[kind];
    throw new VexilError(
      invalid,
      `invalid ${what} name ${JSON.stringify(written)}: give a name with at least one letter or digit, e.g. "premium_users"`,
    );
  }
  return derived;
}

/** The resource the user calls `written`, or undefined. */
export async function findNamed<K extends ResourceKind>(
  shared: Shared,
  kind: K,
  written: string,
): Promise<ResourceOfKind<K> | undefined> {
  const found = await shared.storage.get(kind, storedName(kind, written));
  return found !== undefined && writtenNameOf(found) === written ? found : undefined;
}

export async function requireNamed<K extends ResourceKind>(
  shared: Shared,
  kind: K,
  written: string,
): Promise<ResourceOfKind<K>> {
  const found = await findNamed(shared, kind, written);
  if (found === undefined) {
    const { what, missing } = WORDS[kind];
    throw new VexilError(missing, `${what} "${written}" does not exist`);
  }
  return found;
}

/**
 * The stored name for a new or updated resource called `written`, and the resource it replaces
 * (if the same written name exists). Throws NAME_COLLISION when another name already maps there.
 */
export async function claimName<K extends ResourceKind>(
  shared: Shared,
  kind: K,
  written: string,
): Promise<{ name: string; existing: ResourceOfKind<K> | undefined }> {
  const name = storedName(kind, written);
  const existing = await shared.storage.get(kind, name);
  if (existing !== undefined && writtenNameOf(existing) !== written) {
    const { what } = WORDS[kind];
    throw new VexilError(
      "NAME_COLLISION",
      `${what} "${written}" would be stored as "${name}", which ${what} "${writtenNameOf(existing)}" already is; ` +
        "choose a name that differs in more than case and punctuation",
    );
  }
  return { name, existing };
}
