// Durable usage for the TypeScript API: with a usage ledger (the "vexil" package wires one to
// the event store when given `eventsDatabase`), every evaluation is also counted there, and
// getAnalytics() and getStaleFlags() read it back, so the counts outlive the process and add
// up across processes. Without one, counts are this instance's, in memory.
import type { FeatureFlag } from "../schema/index.ts";
import type { StaleFlag } from "../usage/report.ts";
import { SINGLE_VARIANT_MS, staleness, type StaleOptions } from "../usage/stale.ts";
import type { FlagAnalytics } from "./analytics.ts";

/** A flag's usage as a ledger stores it (the event store's FlagUsage has this shape). */
export interface StoredUsage {
  flag: string;
  evaluations: number;
  byVariant: Record<string, number>;
  byReason: Record<string, number>;
  byEnvironment: Record<string, number>;
  /** epoch milliseconds; 0 when never */
  lastEvaluatedAt: number;
  /** epoch milliseconds of the first evaluation recorded (hour precision in a store) */
  firstEvaluatedAt?: number;
}

export interface UsageLedger {
  /** one evaluation; buffered, never throws */
  record(namespace: string, flag: string, variant: string, reason: string, environment: string, at: number): void;
  /** usage of each flag in the namespace, counting hours from `since` on (what was recorded so far included) */
  read(namespace: string, since: number): Promise<StoredUsage[]>;
  close(): Promise<void>;
}

function iso(ms: number): string | undefined {
  return ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** The store's usage in getAnalytics' shape; errors are this instance's (the store keeps reasons, not error codes). */
export function toFlagAnalytics(
  usage: StoredUsage | undefined,
  flagKey: string,
  errors: Record<string, number>,
): FlagAnalytics {
  const analytics: FlagAnalytics = {
    flagKey,
    evaluations: usage?.evaluations ?? 0,
    variants: { ...usage?.byVariant },
    reasons: { ...usage?.byReason },
    errors,
    environments: { ...usage?.byEnvironment },
  };
  delete analytics.variants[""];
  const last = iso(usage?.lastEvaluatedAt ?? 0);
  if (last !== undefined) analytics.lastEvaluated = last;
  return analytics;
}

/** Flags the staleness rule calls stale; `usage` covers the last 30 days (lastEvaluatedAt: ever). */
export function staleFlags(
  flags: readonly FeatureFlag[],
  usage: readonly StoredUsage[],
  namespace: string,
  now: number,
  options: StaleOptions = {},
): StaleFlag[] {
  const byFlag = new Map(usage.map((u) => [u.flag, u]));
  return flags.flatMap((flag): StaleFlag[] => {
    const used = byFlag.get(flag.metadata.name);
    const created = flag.metadata.creationTimestamp;
    const verdict = staleness(
      {
        ...(created !== undefined ? { createdAt: Date.parse(created) } : {}),
        ...(used !== undefined ? { lastEvaluatedAt: used.lastEvaluatedAt } : {}),
        ...(used?.firstEvaluatedAt !== undefined ? { firstEvaluatedAt: used.firstEvaluatedAt } : {}),
        variantsLast30d: used?.byVariant ?? {},
        ...(flag.spec.staleAfter !== undefined ? { staleAfter: flag.spec.staleAfter } : {}),
      },
      now,
      options,
    );
    if (!verdict.stale) return [];
    const last = iso(used?.lastEvaluatedAt ?? 0);
    return [
      {
        namespace,
        flag: flag.metadata.name,
        ...(flag.spec.owner !== undefined ? { owner: flag.spec.owner } : {}),
        reason: verdict.reason,
        message: verdict.message,
        lastEvaluatedAt: last === undefined ? null : last.replace(/\.\d+Z$/, "Z"),
      },
    ];
  });
}

export { SINGLE_VARIANT_MS };
