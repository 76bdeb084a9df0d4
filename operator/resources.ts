// The custom resources the operator watches, as they come from the API server, and how they
// become schema-parsed resources the core's compile accepts.
import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import { toResource } from "../core/manifest/resource.ts";
import type { AnyResource, ManifestProblem } from "../core/manifest/load.ts";
import type { ResourceKind } from "../core/schema/index.ts";
import { readStamp, type ModifiedStamp } from "../core/audit/stamp.ts";
import { latestFieldManager } from "./audit/field-manager.ts";

/** A Vexil custom resource as the API server returns it. */
export interface LiveResource extends KubernetesObject {
  apiVersion: string;
  kind: ResourceKind;
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec?: unknown;
  status?: Record<string, unknown>;
  /** the tool of the latest spec change, taken from metadata.managedFields when the object arrived */
  fieldManager?: string;
  /** the person: the admission policy's last-modified annotations, when they belong to this generation */
  modified?: ModifiedStamp;
}

/**
 * What the operator keeps of a resource the API server sent: identity, generation, spec,
 * status, the field manager of the latest spec change and who made it (the admission policy's
 * stamp). managedFields (two or more entries with a field tree each), other annotations
 * (kubectl's last-applied-configuration is a second copy of the spec) and timestamps other than
 * creation are dropped on arrival: the cache holds every resource for the life of the process,
 * and at 10 000 flags they were most of it.
 */
export function compactLive(object: LiveResource, kind: ResourceKind): LiveResource {
  const { name, namespace, uid, generation, resourceVersion, labels, creationTimestamp } = object.metadata;
  const metadata: LiveResource["metadata"] = { name, namespace };
  // kept: the stale-flag report gives new flags a grace period
  if (creationTimestamp !== undefined) metadata.creationTimestamp = creationTimestamp;
  if (uid !== undefined) metadata.uid = uid;
  if (generation !== undefined) metadata.generation = generation;
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  if (labels !== undefined) metadata.labels = labels;
  const compact: LiveResource = { apiVersion: object.apiVersion, kind, metadata };
  if (object.spec !== undefined) compact.spec = object.spec;
  if (object.status !== undefined) compact.status = object.status;
  const modified = object.modified ?? readStamp(object.metadata.annotations, generation);
  if (modified !== undefined) compact.modified = modified;
  // the stamped field manager is this write's own; managedFields times have one-second resolution
  const fieldManager = object.fieldManager ?? modified?.via ?? latestFieldManager(object.metadata.managedFields);
  if (fieldManager !== undefined) compact.fieldManager = fieldManager;
  return compact;
}

export function resourceKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function keyOf(
  resource: { kind: string; metadata: { namespace?: string; name: string } },
  namespace?: string,
): string {
  return resourceKey(resource.kind, resource.metadata.namespace ?? namespace ?? "", resource.metadata.name);
}

export function generationOf(resource: LiveResource): number {
  return resource.metadata.generation ?? 0;
}

/**
 * Schema-parse a live object (defaults applied). The status and server-managed metadata are
 * dropped first: they are not the user's intent and must not make a resource invalid.
 */
export function parseLive(live: LiveResource): { resource?: AnyResource; problems: ManifestProblem[] } {
  const { name, namespace, labels, generation, resourceVersion, uid } = live.metadata;
  const metadata: Record<string, unknown> = { name, namespace };
  if (labels) metadata.labels = labels;
  if (generation !== undefined) metadata.generation = generation;
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  if (uid) metadata.uid = uid;
  const value = { apiVersion: live.apiVersion, kind: live.kind, metadata, spec: live.spec };
  return toResource({ value, document: 1 }, undefined);
}
