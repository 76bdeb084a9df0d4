// Canonical JSON: object keys sorted at every level, no whitespace. Two processes that hold
// the same data produce the same bytes, so hashes and ETags agree across evaluators,
// the operator and restarts. This variant is for request data (ETags over client contexts):
// it keeps a "__proto__" key as data instead of letting it set a prototype.
import { createHash } from "node:crypto";
import * as compileCanonical from "../../core/compile/canonical.ts";
import type { Snapshot } from "../../core/snapshot.ts";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  // Build with defineProperty semantics (object literal + computed keys would do the same):
  // a key named "__proto__" must stay an own property, never become a prototype.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(sorted, key, {
      value: sortKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
    });
  }
  return sorted;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The snapshot's content hash: sha256 (hex) of the canonical JSON of
 * {schemaVersion, namespace, environment, flags}. `hash` and `nextChangeAt` are left out:
 * the first is the result, the second says when to recompile, not what is served.
 * Computed with compile's own canonical form so a decoded snapshot verifies against the
 * hash compile gave it (snapshot keys are resource names, never "__proto__").
 */
export function snapshotHash(
  snapshot: Pick<Snapshot, "schemaVersion" | "namespace" | "environment" | "flags">,
): string {
  const { schemaVersion, namespace, environment, flags } = snapshot;
  return compileCanonical.sha256Hex(compileCanonical.canonicalJson({ schemaVersion, namespace, environment, flags }));
}
