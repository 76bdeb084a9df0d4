// Usage rollups in both stores: batches are merged by key first (PostgreSQL cannot update one
// row twice in a statement, and fewer rows is cheaper for SQLite too), and rows read back are
// folded into one summary per flag.
import type { FlagUsage, UsageRecord } from "./store.ts";

type Numeric = number | string | bigint | null;
export interface UsageRow {
  namespace: string;
  flag: string;
  variant: string;
  reason: string;
  environment: string;
  evaluations: Numeric;
  last_at: Numeric;
  first_hour: Numeric;
}

/** One record per (namespace, flag, variant, reason, environment, hour): counts added, latest time kept. */
export function mergeUsage(records: readonly UsageRecord[]): UsageRecord[] {
  const byKey = new Map<string, UsageRecord>();
  for (const r of records) {
    const key = [r.namespace, r.flag, r.variant, r.reason, r.environment, r.hour].join("\u0000");
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, { ...r });
    else {
      seen.evaluations += r.evaluations;
      seen.lastAt = Math.max(seen.lastAt, r.lastAt);
    }
  }
  return [...byKey.values()];
}

function add(counts: Record<string, number>, key: string, n: number): void {
  if (n > 0) counts[key] = (counts[key] ?? 0) + n;
}

export function toFlagUsage(rows: readonly UsageRow[]): FlagUsage[] {
  const byFlag = new Map<string, FlagUsage>();
  for (const row of rows) {
    const id = `${row.namespace}/${row.flag}`;
    let usage = byFlag.get(id);
    if (usage === undefined) {
      usage = {
        namespace: row.namespace,
        flag: row.flag,
        evaluations: 0,
        byVariant: {},
        byReason: {},
        byEnvironment: {},
        lastEvaluatedAt: 0,
        firstEvaluatedAt: Number(row.first_hour ?? 0),
      };
      byFlag.set(id, usage);
    }
    const n = Number(row.evaluations ?? 0);
    usage.evaluations += n;
    add(usage.byVariant, row.variant, n);
    add(usage.byReason, row.reason, n);
    add(usage.byEnvironment, row.environment, n);
    usage.lastEvaluatedAt = Math.max(usage.lastEvaluatedAt, Number(row.last_at ?? 0));
    usage.firstEvaluatedAt = Math.min(usage.firstEvaluatedAt, Number(row.first_hour ?? 0));
  }
  return [...byFlag.values()].sort((a, b) =>
    a.namespace === b.namespace ? (a.flag < b.flag ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
  );
}
