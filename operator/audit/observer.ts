// Records what users changed, as the watch reports it: Created, Updated (with a field diff),
// KillSwitchOn/Off, Deleted (with the last known values). Status-only updates and metadata-only
// updates (same generation) are not changes: an unchanged re-apply records nothing. After a
// restart the previous spec is unknown: a resource whose status already shows its generation
// was recorded before; one whose status is older is recorded as updated without a diff.
// Who: the person the admission policy stamped (user) and the tool (field manager).
import type { AuditRecord, AuditRecorder } from "./recorder.ts";
import type { OperatorMetrics } from "../metrics.ts";
import { generationOf, type LiveResource } from "../resources.ts";
import { describeDeletion, describeSpecChange, type SpecChange } from "./change.ts";

export interface ObserverDeps {
  recorder: AuditRecorder;
  metrics: OperatorMetrics;
  /** told of every recorded change, e.g. to name the people behind the next snapshot's webhook */
  onChange?: (record: AuditRecord) => void;
}

export function observeSpecChange(
  deps: ObserverDeps,
  type: "upsert" | "delete",
  live: LiveResource,
  previous: LiveResource | undefined,
  now: Date,
): void {
  const change = classify(type, live, previous);
  if (!change) return;
  const record: AuditRecord = {
    time: now.toISOString(),
    kind: live.kind,
    namespace: live.metadata.namespace,
    name: live.metadata.name,
    generation: generationOf(live),
    ...(live.metadata.uid ? { uid: live.metadata.uid } : {}),
    // a deletion is not stamped (admission cannot mutate a DELETE): the API server's own audit log names who
    ...(type === "upsert" && live.modified ? { user: live.modified.by } : {}),
    ...(type === "upsert" && live.modified?.at ? { modifiedAt: live.modified.at } : {}),
    ...(type === "upsert" && live.fieldManager ? { fieldManager: live.fieldManager } : {}),
    reason: change.reason,
    summary: change.summary,
    ...(change.changes.length > 0 ? { changes: change.changes } : {}),
    type: "Normal",
  };
  deps.recorder.record(record);
  deps.metrics.events.inc({ reason: change.reason });
  deps.onChange?.(record);
}

function classify(
  type: "upsert" | "delete",
  live: LiveResource,
  previous: LiveResource | undefined,
): SpecChange | undefined {
  if (type === "delete") return describeDeletion(live.spec, live.modified?.by);
  const generation = generationOf(live);
  if (previous) return generationOf(previous) === generation ? undefined : describeSpecChange(previous.spec, live.spec);
  const observed = live.status?.observedGeneration;
  if (observed === generation) return undefined;
  return describeSpecChange(typeof observed === "number" ? null : undefined, live.spec);
}
