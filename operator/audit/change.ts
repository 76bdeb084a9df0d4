// What changed in a resource, in the words an SRE scans an Event list for: Created, Updated,
// KillSwitchOn/Off, Deleted, plus a short field-by-field summary (`spec.rollout.percentage: 25 → 50`).
import { diff, type FieldChange } from "../../core/facade/diff.ts";

export const ChangeReason = {
  Created: "Created",
  Updated: "Updated",
  Deleted: "Deleted",
  KillSwitchOn: "KillSwitchOn",
  KillSwitchOff: "KillSwitchOff",
  RolloutAdvanced: "RolloutAdvanced",
  Invalid: "Invalid",
  Recovered: "Recovered",
} as const;
export type ChangeReason = (typeof ChangeReason)[keyof typeof ChangeReason];

export interface SpecChange {
  reason: ChangeReason;
  summary: string;
  changes: FieldChange[];
}

const MAX_LISTED = 8;

/**
 * Classify a spec change. `previous` is undefined for a new resource; `null` when the
 * previous spec is unknown (the operator was not running when it changed).
 */
export function describeSpecChange(previous: unknown, current: unknown): SpecChange {
  if (previous === undefined) return { reason: ChangeReason.Created, summary: "created", changes: [] };
  if (previous === null) {
    return {
      reason: ChangeReason.Updated,
      summary: "updated while the operator was not watching (previous spec unknown)",
      changes: [],
    };
  }
  const changes = diff(previous, current, "spec");
  const kill = changes.find((change) => change.path === "spec.killSwitch");
  const reason = kill
    ? kill.to === true
      ? ChangeReason.KillSwitchOn
      : ChangeReason.KillSwitchOff
    : ChangeReason.Updated;
  return { reason, summary: summarize(changes), changes };
}

export function summarize(changes: readonly FieldChange[]): string {
  if (changes.length === 0) return "no spec fields changed";
  const listed = changes
    .slice(0, MAX_LISTED)
    .map((change) => `${change.path}: ${show(change.from)} → ${show(change.to)}`);
  const more = changes.length > MAX_LISTED ? ` (+${changes.length - MAX_LISTED} more)` : "";
  return `${listed.join(", ")}${more}`;
}

function show(value: unknown): string {
  if (value === undefined) return "(unset)";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
