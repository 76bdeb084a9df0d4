// The audit trail: who changed what, when, field by field. Entries go to the storage
// backend (append-only) so a directory-backed history survives restarts; the in-memory backend
// keeps them for the life of the process, and on a cluster the operator keeps the trail.
import { userInfo } from "node:os";
import type { ResourceKind } from "../schema/index.ts";
import type { FieldChange } from "./diff.ts";

export const AUDIT_ACTIONS = [
  "created",
  "updated",
  "deleted",
  "killSwitchOn",
  "killSwitchOff",
  "segmentAdded",
  "segmentRemoved",
  "variantAdded",
  "variantRemoved",
  "environmentOverrideSet",
  "environmentOverrideRemoved",
  "rolloutChanged",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** RFC 3339 */
  time: string;
  actor: string;
  action: AuditAction;
  resource: { kind: ResourceKind; name: string; namespace?: string };
  changes: FieldChange[];
}

export interface AuditQuery {
  /** only entries about this flag */
  flagKey?: string;
  /** the newest `limit` entries */
  limit?: number;
  /** entries at or after this time */
  since?: Date | string;
}

/** Entries matching the query, oldest first. */
export function queryAudit(entries: readonly AuditEntry[], query: AuditQuery = {}): AuditEntry[] {
  const since = query.since === undefined ? undefined : new Date(query.since).getTime();
  let found = entries.filter(
    (entry) =>
      (query.flagKey === undefined ||
        (entry.resource.kind === "FeatureFlag" && entry.resource.name === query.flagKey)) &&
      (since === undefined || Date.parse(entry.time) >= since),
  );
  if (query.limit !== undefined) found = query.limit <= 0 ? [] : found.slice(-query.limit);
  return found;
}

/** Who the audit log names when no `actor` option is given: the OS user running the process. */
export function defaultActor(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry for this uid (a container started with a numeric runAsUser)
  }
  return process.env.USER || process.env.USERNAME || "unknown";
}
