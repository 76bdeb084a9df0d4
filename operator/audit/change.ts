// What changed in a resource, in the words an SRE scans an Event list for: Created, Updated,
// KillSwitchOn/Off, Deleted, plus a short field-by-field summary (`spec.rollout.percentage: 25 → 50`,
// and for a deletion `spec.enabled: true → (unset)`).
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

/** A deletion, with every field's last known value as `from` (what was lost, field by field). */
export function describeDeletion(spec: unknown, lastModifiedBy: string | undefined): SpecChange {
  const changes = lastValues(spec, "spec");
  const last = lastModifiedBy ? ` (last changed by ${lastModifiedBy})` : "";
  return { reason: ChangeReason.Deleted, summary: `deleted${last}: ${summarize(changes)}`, changes };
}

/** Every leaf of `value` as a removed field ({ path, from }), in the paths diff() uses. */
function lastValues(value: unknown, path: string): FieldChange[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item, i) => lastValues(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0)
    return Object.entries(value).flatMap(([key, item]) => lastValues(item, `${path}.${key}`));
  return value === undefined || path === "spec" ? [] : [{ path, from: value }];
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
