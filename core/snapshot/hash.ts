// The one content hash: sha256 (hex) of canonical JSON. compile stamps it on a snapshot, the
// operator writes it into the ConfigMap index, and an evaluator checks decoded shards against it.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";
import type { Snapshot } from "./snapshot.ts";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** What the snapshot hash covers: everything an evaluator serves. */
export type HashedSnapshot = Pick<Snapshot, "schemaVersion" | "namespace" | "environment" | "flags">;

/**
 * The snapshot's content hash: sha256 (hex) of the canonical JSON of
 * {schemaVersion, namespace, environment, flags}. `hash` and `nextChangeAt` are left out:
 * the first is the result, the second says when to recompile, not what is served.
 */
export function snapshotHash(snapshot: HashedSnapshot): string {
  const { schemaVersion, namespace, environment, flags } = snapshot;
  return sha256Hex(canonicalJson({ schemaVersion, namespace, environment, flags }));
}
