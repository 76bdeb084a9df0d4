// The webhook body (Standard Webhooks' {type, timestamp, data} envelope) and its id. The id
// is derived from the change itself (namespace, environment, previous and new content hash),
// so every retry, and a resend after an operator restart, carries the same webhook-id and a
// receiver can drop duplicates.
import { createHash } from "node:crypto";
import type { ChangeAttribution } from "../audit/attribution.ts";
import type { ServedChanges } from "../reconcile/served-changes.ts";

export interface SnapshotChange {
  namespace: string;
  environment: string;
  hash: string;
  previousHash: string | undefined;
  changes: ServedChanges;
  /** the spec changes this snapshot carries, naming who made each (person and tool) */
  changedBy?: readonly ChangeAttribution[];
  time: Date;
}

export function deliveryId(
  change: Pick<SnapshotChange, "namespace" | "environment" | "hash" | "previousHash">,
): string {
  const digest = createHash("sha256")
    .update(`${change.namespace}\n${change.environment}\n${change.previousHash ?? ""}\n${change.hash}`)
    .digest("hex");
  return `msg_${digest.slice(0, 32)}`;
}

export function snapshotUpdatedBody(change: SnapshotChange): string {
  return JSON.stringify({
    type: "snapshot.updated",
    timestamp: change.time.toISOString(),
    data: {
      namespace: change.namespace,
      environment: change.environment,
      hash: change.hash,
      previousHash: change.previousHash ?? null,
      configMap: `vexil-snapshot-${change.environment}`,
      flags: change.changes,
      changedBy: change.changedBy ?? [],
    },
  });
}
