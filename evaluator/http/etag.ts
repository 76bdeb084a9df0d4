// Entity tags. The snapshot's tag is its content hash; a bulk evaluation's tag covers the
// snapshot hash AND the request context, since the same snapshot answers users differently.
import { canonicalJson } from "../../core/snapshot/canonical-json.ts";
import { sha256Hex } from "../../core/snapshot/hash.ts";

export function snapshotEtag(hash: string): string {
  return `"${hash}"`;
}

export function bulkEtag(snapshotHash: string, context: unknown): string {
  return `"${sha256Hex(`${snapshotHash}\n${canonicalJson(context)}`).slice(0, 40)}"`;
}

/** If-None-Match semantics (RFC 9110 weak comparison): a list of tags or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}
