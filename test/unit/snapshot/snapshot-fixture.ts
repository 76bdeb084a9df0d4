// Hand-built compiled snapshots for tests of the storage format (no compile step involved).
import type { CompiledFlag, Snapshot } from "../../../core/snapshot/snapshot.ts";
import { snapshotHash } from "../../../core/snapshot/hash.ts";

// the engine tests' flag builder; only the snapshot differs here (a real content hash)
export { booleanFlag } from "../engine/fixtures.ts";

export function snapshotOf(flags: CompiledFlag[], environment = "production", namespace = "shop"): Snapshot {
  const body = {
    schemaVersion: 1 as const,
    namespace,
    environment,
    flags: Object.fromEntries(flags.map((f) => [f.key, f])),
  };
  return { ...body, hash: snapshotHash(body) };
}
