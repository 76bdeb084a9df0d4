// Which flags a new snapshot serves differently from the one in the ConfigMaps, for logs
// and the webhook payload.
import type { V1ConfigMap } from "@kubernetes/client-node";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { ROLE_LABEL, decodeSnapshot } from "../../core/snapshot/configmap-format.ts";
import { canonicalJson } from "../../core/snapshot/canonical-json.ts";

export interface ServedChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** The snapshot the ConfigMaps hold now, or undefined when there is none or it is unreadable. */
export function previousSnapshot(existing: readonly V1ConfigMap[], environment: string): Snapshot | undefined {
  const index = existing.find(
    (cm) => cm.metadata?.labels?.[ROLE_LABEL] === "index" && cm.metadata?.name === `vexil-snapshot-${environment}`,
  );
  if (!index) return undefined;
  try {
    return decodeSnapshot(index, existing);
  } catch {
    return undefined; // half-written or edited by hand: everything counts as changed
  }
}

export function servedChanges(before: Snapshot | undefined, after: Snapshot): ServedChanges {
  const old = before?.flags ?? {};
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, flag] of Object.entries(after.flags)) {
    const previous = Object.hasOwn(old, key) ? old[key] : undefined;
    if (previous === undefined) added.push(key);
    else if (canonicalJson(previous) !== canonicalJson(flag)) changed.push(key);
  }
  const removed = Object.keys(old).filter((key) => !Object.hasOwn(after.flags, key));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}
