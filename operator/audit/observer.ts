// Records what users changed, as the watch reports it: Created, Updated (with a field diff),
// KillSwitchOn/Off, Deleted. Status-only updates (same generation) are not changes. After a
// restart the previous spec is unknown: a resource whose status already shows its generation
// was recorded before; one whose status is older is recorded as updated without a diff.
import type { AuditRecorder } from "./recorder.ts";
import type { OperatorMetrics } from "../metrics.ts";
import { generationOf, type LiveResource } from "../resources.ts";
import { ChangeReason, describeSpecChange } from "./change.ts";

export function observeSpecChange(
  deps: { recorder: AuditRecorder; metrics: OperatorMetrics },
  type: "upsert" | "delete",
  live: LiveResource,
  previous: LiveResource | undefined,
  now: Date,
): void {
  const generation = generationOf(live);
  let change;
  if (type === "delete") {
    change = { reason: ChangeReason.Deleted, summary: "deleted", changes: [] };
  } else if (previous) {
    if (generationOf(previous) === generation) return;
    change = describeSpecChange(previous.spec, live.spec);
  } else {
    const observed = live.status?.observedGeneration;
    if (observed === generation) return;
    change = describeSpecChange(typeof observed === "number" ? null : undefined, live.spec);
  }
  const fieldManager = live.fieldManager;
  deps.recorder.record({
    time: now.toISOString(),
    kind: live.kind,
    namespace: live.metadata.namespace,
    name: live.metadata.name,
    generation,
    ...(live.metadata.uid ? { uid: live.metadata.uid } : {}),
    ...(fieldManager ? { fieldManager } : {}),
    reason: change.reason,
    summary: change.summary,
    ...(change.changes.length > 0 ? { changes: change.changes } : {}),
    type: "Normal",
  });
  deps.metrics.events.inc({ reason: change.reason });
}
