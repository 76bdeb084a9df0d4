// How a snapshot is stored in ConfigMaps. The operator encodes, the evaluator decodes: both
// import this file so the two sides cannot disagree.
//
// - index ConfigMap `vexil-snapshot-<env>` (labels environment=<env>, role=index), data
//   `index.json` = {schemaVersion, hash, shards: [names], nextChangeAt?, namespace, environment}
// - shard ConfigMaps `vexil-snapshot-<env>-<n>` (role=shard), data `flags.json` = a subset of
//   the flags, each shard's data kept under maxShardBytes (default 700 KiB, well under the
//   1 MiB object limit once labels and metadata are added).
// The operator writes the shards first and the index last. A reader that sees an index whose
// hash does not match the shards (a half-written set) rejects it and waits for the next event.
import { z } from "zod";
import { SNAPSHOT_SCHEMA_VERSION, type CompiledFlag, type Snapshot } from "./snapshot.ts";
import { snapshotHash } from "./hash.ts";

export const ENVIRONMENT_LABEL = "flags.vexil.dev/environment";
export const ROLE_LABEL = "flags.vexil.dev/role";
export const HASH_ANNOTATION = "flags.vexil.dev/snapshot-hash";
export const INDEX_KEY = "index.json";
export const SHARD_KEY = "flags.json";
export const DEFAULT_MAX_SHARD_BYTES = 700 * 1024;

/** What the operator needs to write one ConfigMap (it adds namespace and owner references). */
export interface ConfigMapData {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Record<string, string>;
}

/** The part of a ConfigMap the decoder reads; a client-node V1ConfigMap fits. */
export interface ConfigMapLike {
  metadata?: { name?: string };
  name?: string;
  data?: Record<string, string>;
}

export const snapshotIndexSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    hash: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be a sha256 hex digest" }),
    shards: z.array(z.string().min(1)),
    nextChangeAt: z.string().optional(),
    namespace: z.string(),
    environment: z.string(),
  })
  .strict();
export type SnapshotIndex = z.infer<typeof snapshotIndexSchema>;

export class SnapshotDecodeError extends Error {
  override name = "SnapshotDecodeError";
}

export function indexConfigMapName(environment: string): string {
  return `vexil-snapshot-${environment}`;
}

export function shardConfigMapName(environment: string, n: number): string {
  return `vexil-snapshot-${environment}-${n}`;
}

export function encodeSnapshot(
  snapshot: Snapshot,
  options: { maxShardBytes?: number } = {},
): { index: ConfigMapData; shards: ConfigMapData[] } {
  const maxShardBytes = options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES;
  const hash = snapshotHash(snapshot);
  const groups = packFlags(snapshot.flags, maxShardBytes);
  const labels = (role: string) => ({ [ENVIRONMENT_LABEL]: snapshot.environment, [ROLE_LABEL]: role });
  const annotations = { [HASH_ANNOTATION]: hash };
  const shards = groups.map((flags, n) => ({
    name: shardConfigMapName(snapshot.environment, n),
    labels: labels("shard"),
    annotations,
    data: { [SHARD_KEY]: JSON.stringify(flags) },
  }));
  const index: SnapshotIndex = {
    schemaVersion: snapshot.schemaVersion,
    hash,
    shards: shards.map((s) => s.name),
    namespace: snapshot.namespace,
    environment: snapshot.environment,
    ...(snapshot.nextChangeAt === undefined ? {} : { nextChangeAt: snapshot.nextChangeAt }),
  };
  return {
    index: {
      name: indexConfigMapName(snapshot.environment),
      labels: labels("index"),
      annotations,
      data: { [INDEX_KEY]: JSON.stringify(index) },
    },
    shards,
  };
}

/** Greedy packing in key order: stable shard contents when few flags change. */
function packFlags(flags: Record<string, CompiledFlag>, maxShardBytes: number): Record<string, CompiledFlag>[] {
  const groups: Record<string, CompiledFlag>[] = [];
  let current: Record<string, CompiledFlag> = {};
  let currentBytes = 2; // "{}"
  for (const key of Object.keys(flags).sort()) {
    const flag = flags[key] as CompiledFlag;
    // `"key":<json>,` — the exact bytes this entry adds to the shard's JSON
    const entryBytes = Buffer.byteLength(JSON.stringify(key)) + 1 + Buffer.byteLength(JSON.stringify(flag)) + 1;
    if (entryBytes + 2 > maxShardBytes) {
      throw new Error(
        `flag "${key}" needs ${entryBytes} bytes of JSON, more than the ${maxShardBytes}-byte ConfigMap shard limit; ` +
          "reduce its targets or rule values (or move users into a Segment shared by fewer flags)",
      );
    }
    if (currentBytes + entryBytes > maxShardBytes && Object.keys(current).length > 0) {
      groups.push(current);
      current = {};
      currentBytes = 2;
    }
    Object.defineProperty(current, key, { value: flag, enumerable: true, writable: true, configurable: true });
    currentBytes += entryBytes;
  }
  groups.push(current); // an empty snapshot still has one (empty) shard
  return groups;
}

export function parseSnapshotIndex(index: ConfigMapLike): SnapshotIndex {
  const raw = index.data?.[INDEX_KEY];
  if (raw === undefined) throw new SnapshotDecodeError(`${nameOf(index)} has no ${INDEX_KEY}`);
  const parsed = snapshotIndexSchema.safeParse(parseJson(raw, `${nameOf(index)}/${INDEX_KEY}`));
  if (!parsed.success) {
    throw new SnapshotDecodeError(`${nameOf(index)}/${INDEX_KEY} is invalid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Rebuild the snapshot from its index and shards (extra shards are ignored). Throws
 * SnapshotDecodeError when a shard is missing or unreadable, or when the content does not
 * hash to the index's hash, i.e. the set is half-written.
 */
export function decodeSnapshot(index: ConfigMapLike, shards: readonly ConfigMapLike[]): Snapshot {
  const parsed = parseSnapshotIndex(index);
  const byName = new Map(shards.map((s) => [nameOf(s), s]));
  const flags: Record<string, CompiledFlag> = {};
  for (const shardName of parsed.shards) {
    const shard = byName.get(shardName);
    const raw = shard?.data?.[SHARD_KEY];
    if (raw === undefined) throw new SnapshotDecodeError(`shard ${shardName} named by the index is missing`);
    const content = parseJson(raw, `${shardName}/${SHARD_KEY}`);
    if (content === null || typeof content !== "object" || Array.isArray(content)) {
      throw new SnapshotDecodeError(`${shardName}/${SHARD_KEY} must be a JSON object of flags`);
    }
    for (const [key, flag] of Object.entries(content as Record<string, CompiledFlag>)) {
      Object.defineProperty(flags, key, { value: flag, enumerable: true, writable: true, configurable: true });
    }
  }
  const snapshot: Snapshot = {
    schemaVersion: parsed.schemaVersion,
    namespace: parsed.namespace,
    environment: parsed.environment,
    hash: parsed.hash,
    flags,
    ...(parsed.nextChangeAt === undefined ? {} : { nextChangeAt: parsed.nextChangeAt }),
  };
  const actual = snapshotHash(snapshot);
  if (actual !== parsed.hash) {
    throw new SnapshotDecodeError(
      `shards hash to ${actual.slice(0, 12)} but the index says ${parsed.hash.slice(0, 12)}: the set is half-written`,
    );
  }
  return snapshot;
}

function nameOf(cm: ConfigMapLike): string {
  return cm.metadata?.name ?? cm.name ?? "(unnamed ConfigMap)";
}

function parseJson(raw: string, where: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new SnapshotDecodeError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}
