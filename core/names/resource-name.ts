// Names as people write them (`premium_users`, `New Checkout`) and the DNS-1123 names Kubernetes
// needs (`premium-users`, `new-checkout`). The TypeScript API accepts the written name, stores
// the derived one as metadata.name and keeps the written one in an annotation, so lookups,
// listings and errors speak the user's name and two names that derive the same resource name
// are a clear error instead of one silently overwriting the other.

/** metadata.annotations key holding the name as the user wrote it (only when it differs). */
export const WRITTEN_NAME_ANNOTATION = "flags.vexil.dev/name";

const VALID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_LENGTH = 253;

export function isResourceName(name: string): boolean {
  return name.length <= MAX_LENGTH && VALID.test(name);
}

/**
 * The DNS-1123 name for a written name: lowercase, every run of other characters becomes one
 * '-', no '-' or '.' at either end. undefined when nothing usable is left (e.g. "___").
 */
export function resourceNameFor(written: string): string | undefined {
  if (isResourceName(written)) return written;
  const derived = written
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, MAX_LENGTH)
    .replace(/[-.]+$/, "");
  return derived === "" ? undefined : derived;
}

interface Named {
  metadata: { name: string; annotations?: Record<string, string> | undefined };
}

/** The name the user gave the resource. */
export function writtenNameOf(resource: Named): string {
  return resource.metadata.annotations?.[WRITTEN_NAME_ANNOTATION] ?? resource.metadata.name;
}

/** A copy of metadata with name = the derived name and the written one kept when it differs. */
export function namedMetadata<M extends Named["metadata"]>(metadata: M, written: string, derived: string): M {
  const annotations = { ...metadata.annotations };
  if (written === derived) delete annotations[WRITTEN_NAME_ANNOTATION];
  else annotations[WRITTEN_NAME_ANNOTATION] = written;
  const next = { ...metadata, name: derived };
  if (Object.keys(annotations).length > 0) next.annotations = annotations;
  else delete next.annotations;
  return next;
}
