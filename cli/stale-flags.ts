// Stale flags for `vexil flags stale`: in a directory, judged from its flags and the event
// store's usage (the rule in core/usage/stale.ts); on a cluster, read from the Stale condition
// the operator wrote on each FeatureFlag.
import { loadManifestPaths } from "../core/manifest/load.ts";
import { STALE_REASONS, type FeatureFlag, type StaleReason } from "../core/schema/index.ts";
import type { StaleFlag } from "../core/usage/report.ts";
import { SINGLE_VARIANT_MS, staleness, type StaleOptions } from "../core/usage/stale.ts";
import type { EventStore } from "../event-store/store.ts";

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString().replace(/\.\d+Z$/, "Z") : null;
}

/**
 * A directory has no creation times: every flag is treated as past its grace period, so a flag
 * nobody evaluated yet is reported NeverEvaluated.
 */
export async function directoryStaleFlags(
  dir: string,
  namespace: string,
  store: EventStore,
  now: number,
  options: StaleOptions = {},
): Promise<{ checked: number; stale: StaleFlag[]; problems: number }> {
  const loaded = await loadManifestPaths([dir]);
  const flags = loaded.resources.filter((r): r is FeatureFlag => r.kind === "FeatureFlag");
  const usage = new Map((await store.usage({ namespace, since: now - SINGLE_VARIANT_MS })).map((u) => [u.flag, u]));
  const stale: StaleFlag[] = [];
  for (const flag of flags) {
    const used = usage.get(flag.metadata.name);
    const verdict = staleness(
      {
        ...(used ? { lastEvaluatedAt: used.lastEvaluatedAt, firstEvaluatedAt: used.firstEvaluatedAt } : {}),
        variantsLast30d: used?.byVariant ?? {},
        ...(flag.spec.staleAfter ? { staleAfter: flag.spec.staleAfter } : {}),
      },
      now,
      options,
    );
    if (!verdict.stale) continue;
    stale.push({
      namespace,
      flag: flag.metadata.name,
      ...(flag.spec.owner ? { owner: flag.spec.owner } : {}),
      reason: verdict.reason,
      message: verdict.message,
      lastEvaluatedAt: iso(used?.lastEvaluatedAt ?? 0),
    });
  }
  return { checked: flags.length, stale, problems: loaded.problems.length };
}

interface LiveFlag {
  metadata: { name: string; namespace: string };
  spec?: { owner?: string };
  status?: {
    usage?: { lastEvaluatedAt?: string };
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
}

const REASONS = new Set<string>(STALE_REASONS);

/** Flags whose Stale condition is True (the operator needs --events-database to write it). */
export function clusterStaleFlags(items: readonly LiveFlag[]): { checked: number; stale: StaleFlag[] } {
  const stale: StaleFlag[] = [];
  for (const item of items) {
    const condition = item.status?.conditions?.find((c) => c.type === "Stale");
    if (condition?.status !== "True" || !REASONS.has(condition.reason)) continue;
    stale.push({
      namespace: item.metadata.namespace,
      flag: item.metadata.name,
      ...(item.spec?.owner ? { owner: item.spec.owner } : {}),
      reason: condition.reason as StaleReason,
      message: condition.message,
      lastEvaluatedAt: item.status?.usage?.lastEvaluatedAt ?? null,
    });
  }
  return { checked: items.length, stale };
}
