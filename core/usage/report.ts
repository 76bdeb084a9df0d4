// The stale-flag report: which flags can go, grouped by the owner who should remove them.
// Built from flags and their usage wherever they come from (a directory and its event store,
// a cluster's statuses, the TypeScript API's storage), so every surface says the same thing.
import type { StaleReason } from "../schema/flag.ts";

export interface StaleFlag {
  namespace: string;
  flag: string;
  /** spec.owner, or undefined when the flag names none */
  owner?: string;
  reason: StaleReason;
  message: string;
  /** RFC 3339, or null when never evaluated */
  lastEvaluatedAt: string | null;
}

export interface StaleReport {
  /** flags looked at */
  checked: number;
  stale: number;
  /** owners in name order, flags without one last under "(no owner)" */
  owners: { owner: string; flags: StaleFlag[] }[];
}

export const NO_OWNER = "(no owner)";

export function staleReport(checked: number, stale: readonly StaleFlag[]): StaleReport {
  const byOwner = new Map<string, StaleFlag[]>();
  for (const flag of stale) {
    const owner = flag.owner ?? NO_OWNER;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), flag]);
  }
  const owners = [...byOwner.keys()].sort((a, b) => (a === NO_OWNER ? 1 : b === NO_OWNER ? -1 : a.localeCompare(b)));
  return {
    checked,
    stale: stale.length,
    owners: owners.map((owner) => ({
      owner,
      flags: [...byOwner.get(owner)!].sort((a, b) =>
        `${a.namespace}/${a.flag}`.localeCompare(`${b.namespace}/${b.flag}`),
      ),
    })),
  };
}

/** Human text: one block per owner, one line per flag. */
export function formatStaleReport(report: StaleReport): string {
  if (report.stale === 0) return `no stale flags (${report.checked} checked)\n`;
  const lines = [`${report.stale} of ${report.checked} flags are stale`];
  for (const { owner, flags } of report.owners) {
    lines.push("", `${owner} (${flags.length})`);
    for (const f of flags) {
      const last = f.lastEvaluatedAt === null ? "" : ` (last evaluated ${f.lastEvaluatedAt})`;
      lines.push(`  ${f.namespace}/${f.flag}  ${f.reason}: ${f.message}${last}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
