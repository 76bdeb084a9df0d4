// Writes one environment's snapshot ConfigMaps: shards first, then the index, then deletes
// shards the index no longer names, so a reader never sees an index pointing at a missing
// shard. Every ConfigMap is compared with what it should hold (data, our labels and
// annotations) and written only when it differs: an unchanged snapshot costs no API call,
// and a shard edited or deleted by hand is put back on the next reconcile.
//
// The ConfigMaps carry no owner references (one snapshot serves many flags, and an owner must
// be a single object in the same namespace); they are labelled app.kubernetes.io/managed-by=vexil
// and the operator alone maintains them.
import type { CoreV1Api, V1ConfigMap } from "@kubernetes/client-node";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import {
  ENVIRONMENT_LABEL,
  ROLE_LABEL,
  encodeSnapshot,
  shardConfigMapName,
  type ConfigMapData,
} from "../../core/snapshot/configmap-format.ts";
import { isConflict, isNotFound } from "../../kube/errors.ts";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "vexil";
export const FIELD_MANAGER = "vexil-operator";

export interface SnapshotWriteResult {
  /** true when at least one ConfigMap was created, replaced or deleted */
  changed: boolean;
  indexName: string;
  /** total bytes of data across index and shards */
  bytes: number;
  shards: number;
  /** resourceVersions of the ConfigMaps we wrote, so their watch events can be ignored */
  written: string[];
}

export interface SnapshotWriteContext {
  core: CoreV1Api;
  namespace: string;
  /** ConfigMaps of this namespace and environment as the cache last saw them */
  existing: V1ConfigMap[];
  maxShardBytes?: number;
}

export async function writeSnapshotConfigMaps(
  ctx: SnapshotWriteContext,
  snapshot: Snapshot,
): Promise<SnapshotWriteResult> {
  const encoded = encodeSnapshot(snapshot, ctx.maxShardBytes === undefined ? {} : { maxShardBytes: ctx.maxShardBytes });
  const byName = new Map(ctx.existing.map((cm) => [cm.metadata?.name ?? "", cm]));
  const written: string[] = [];
  let changed = false;
  for (const desired of [...encoded.shards, encoded.index]) {
    const resourceVersion = await ensureConfigMap(ctx, desired, byName.get(desired.name));
    if (resourceVersion !== undefined) {
      changed = true;
      written.push(resourceVersion);
    }
  }
  const keep = new Set(encoded.shards.map((shard) => shard.name));
  for (const stale of staleShards(ctx.existing, snapshot.environment, keep)) {
    await deleteIgnoringMissing(ctx, stale);
    changed = true;
  }
  const all = [encoded.index, ...encoded.shards];
  return {
    changed,
    indexName: encoded.index.name,
    bytes: all.reduce((sum, cm) => sum + dataBytes(cm.data), 0),
    shards: encoded.shards.length,
    written,
  };
}

/** Creates or replaces one ConfigMap unless it already holds the desired content; returns the new resourceVersion if written. */
async function ensureConfigMap(
  ctx: SnapshotWriteContext,
  desired: ConfigMapData,
  cached: V1ConfigMap | undefined,
): Promise<string | undefined> {
  let current = cached;
  for (let attempt = 0; ; attempt++) {
    if (current && holds(current, desired)) return undefined;
    const body = toConfigMap(ctx.namespace, desired, current);
    try {
      const result = current?.metadata?.resourceVersion
        ? await ctx.core.replaceNamespacedConfigMap({
            name: desired.name,
            namespace: ctx.namespace,
            body,
            fieldManager: FIELD_MANAGER,
          })
        : await ctx.core.createNamespacedConfigMap({ namespace: ctx.namespace, body, fieldManager: FIELD_MANAGER });
      return result.metadata?.resourceVersion ?? "";
    } catch (error) {
      // Our cache was stale (someone else wrote, or our own earlier write has not been seen
      // yet): read the live object and try again.
      if (attempt >= 4 || !(isConflict(error) || isNotFound(error))) throw error;
      current = await readIgnoringMissing(ctx, desired.name);
    }
  }
}

function toConfigMap(namespace: string, desired: ConfigMapData, current: V1ConfigMap | undefined): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: desired.name,
      namespace,
      // keep labels and annotations others added (e.g. Argo CD tracking), overwrite ours
      labels: { ...current?.metadata?.labels, ...desired.labels, [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: { ...current?.metadata?.annotations, ...desired.annotations },
      ...(current?.metadata?.resourceVersion ? { resourceVersion: current.metadata.resourceVersion } : {}),
    },
    data: desired.data,
  };
}

/** Whether a ConfigMap already holds exactly the desired data and carries our labels and annotations. */
export function holds(current: V1ConfigMap, desired: ConfigMapData): boolean {
  const data = current.data ?? {};
  const keys = Object.keys(desired.data);
  if (Object.keys(data).length !== keys.length || current.binaryData) return false;
  if (keys.some((key) => data[key] !== desired.data[key])) return false;
  const labels = { ...desired.labels, [MANAGED_BY_LABEL]: MANAGED_BY };
  if (Object.entries(labels).some(([key, value]) => current.metadata?.labels?.[key] !== value)) return false;
  return Object.entries(desired.annotations).every(([key, value]) => current.metadata?.annotations?.[key] === value);
}

/** Shards of this environment the new index does not name (the snapshot shrank). */
function staleShards(existing: V1ConfigMap[], environment: string, keep: Set<string>): string[] {
  const prefix = shardConfigMapName(environment, 0).slice(0, -1);
  return existing
    .filter((cm) => cm.metadata?.labels?.[ENVIRONMENT_LABEL] === environment)
    .filter((cm) => cm.metadata?.labels?.[ROLE_LABEL] === "shard")
    .map((cm) => cm.metadata?.name ?? "")
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)) && !keep.has(name));
}

async function deleteIgnoringMissing(ctx: SnapshotWriteContext, name: string): Promise<void> {
  try {
    await ctx.core.deleteNamespacedConfigMap({ name, namespace: ctx.namespace });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function readIgnoringMissing(ctx: SnapshotWriteContext, name: string): Promise<V1ConfigMap | undefined> {
  try {
    return await ctx.core.readNamespacedConfigMap({ name, namespace: ctx.namespace });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function dataBytes(data: Record<string, string>): number {
  return Object.values(data).reduce((sum, value) => sum + Buffer.byteLength(value), 0);
}
