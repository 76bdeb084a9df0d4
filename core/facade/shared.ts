// State shared by a FeatureFlagsInteraction and its withEnvironment() views, and the one
// path every change takes: validate → store → invalidate caches → audit → webhooks.
import type { FeatureFlag } from "../schema/index.ts";
import type { Analytics } from "./analytics.ts";
import type { AuditAction, AuditEntry } from "./audit.ts";
import type { Clock } from "./cache.ts";
import type { Definitions } from "./definitions.ts";
import { diff } from "./diff.ts";
import { VexilError } from "./errors.ts";
import type { Evaluations } from "./evaluation.ts";
import type { ExperimentResultsReader } from "./experiments.ts";
import type { FlagStorage, StoredResource } from "./storage/storage.ts";
import { requireNamed } from "./names.ts";
import { checkResources, parseResource } from "./validation.ts";
import type { WebhookDelivery } from "./webhooks.ts";

export interface Shared {
  storage: FlagStorage;
  /** metadata.namespace written on resources; unset in directory mode */
  namespace: string | undefined;
  actor: string;
  clock: Clock;
  definitions: Definitions;
  evaluations: Evaluations;
  analytics: Analytics;
  webhooks: WebhookDelivery;
  experiments: ExperimentResultsReader | undefined;
  closed: boolean;
  /** stops the storage's change notifications (see FlagStorage.watch) */
  stopWatching?: () => void;
}

export interface Change {
  action: AuditAction;
  before: StoredResource | undefined;
  after: StoredResource;
}

export function ensureOpen(shared: Shared): void {
  if (shared.closed) throw new VexilError("CLOSED", "this FeatureFlagsInteraction was closed; create a new one");
}

/** The flag the user calls `key` (as written: `new_checkout` finds the stored `new-checkout`). */
export async function requireFlag(shared: Shared, key: string): Promise<FeatureFlag> {
  return requireNamed(shared, "FeatureFlag", key);
}

async function audit(
  shared: Shared,
  action: AuditAction,
  resource: StoredResource,
  changes: AuditEntry["changes"],
): Promise<void> {
  const entry: AuditEntry = {
    time: new Date(shared.clock()).toISOString(),
    actor: shared.actor,
    action,
    resource: { kind: resource.kind, name: resource.metadata.name },
    changes,
  };
  if (resource.metadata.namespace !== undefined) entry.resource.namespace = resource.metadata.namespace;
  await shared.storage.appendAudit(entry);
  shared.webhooks.publish(entry);
}

/** Validate every change together, then store and record those that change anything. Returns the stored resources. */
export async function save(shared: Shared, changes: readonly Change[]): Promise<StoredResource[]> {
  ensureOpen(shared);
  const parsed = changes.map((change) => ({ ...change, after: parseResource(change.after) }));
  checkResources(
    parsed.map((change) => change.after),
    await shared.definitions.fresh(),
  );
  const recorded: { change: Change; fields: AuditEntry["changes"] }[] = [];
  for (const change of parsed) {
    const fields = diff(change.before, change.after);
    if (change.before !== undefined && fields.length === 0) continue;
    await shared.storage.put(change.after);
    recorded.push({ change, fields });
  }
  invalidate(shared);
  for (const { change, fields } of recorded) await audit(shared, change.action, change.after, fields);
  return parsed.map((change) => change.after);
}

export async function remove(shared: Shared, resource: StoredResource): Promise<void> {
  ensureOpen(shared);
  await shared.storage.delete(resource.kind, resource.metadata.name);
  invalidate(shared);
  await audit(shared, "deleted", resource, diff(resource, undefined));
}

export function invalidate(shared: Shared): void {
  shared.definitions.invalidate();
  shared.evaluations.invalidate();
}
