// When a flag is stale, and why: from its usage (as the event store's rollups report it) and
// its age. Pure, so the operator, the CLI and the TypeScript API decide alike.
import { parseDuration } from "../schema/duration.ts";
import type { StaleReason } from "../schema/flag.ts";

export const DAY_MS = 86_400_000;
/** Not evaluated for this long: stale (a flag's spec.staleAfter, or the operator's --stale-after). */
export const DEFAULT_STALE_AFTER_MS = 30 * DAY_MS;
/** A new flag has this long to be evaluated once before it is NeverEvaluated. */
export const DEFAULT_STALE_GRACE_MS = 7 * DAY_MS;
/** Serving one variant to everyone this long: the rollout is finished, the flag can leave the code. */
export const SINGLE_VARIANT_MS = 30 * DAY_MS;

export interface FlagUsageFacts {
  /** epoch milliseconds of the flag's creation; undefined when unknown (treated as old enough) */
  createdAt?: number;
  /** epoch milliseconds of the last evaluation; undefined or 0 when never evaluated */
  lastEvaluatedAt?: number;
  /** epoch milliseconds of the first evaluation recorded (its hour) */
  firstEvaluatedAt?: number;
  /** evaluations per variant over the last SINGLE_VARIANT_MS */
  variantsLast30d: Record<string, number>;
  /** the flag's spec.staleAfter */
  staleAfter?: string;
}

export interface StaleOptions {
  staleAfterMs?: number;
  graceMs?: number;
}

export type Staleness =
  | { stale: false; reason: "Evaluated" | "WithinGracePeriod"; message: string }
  | { stale: true; reason: StaleReason; message: string };

function days(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  return d === 1 ? "1 day" : `${d} days`;
}

export function staleness(facts: FlagUsageFacts, now: number, options: StaleOptions = {}): Staleness {
  const staleAfterMs =
    (facts.staleAfter ? parseDuration(facts.staleAfter) : undefined) ?? options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const graceMs = options.graceMs ?? DEFAULT_STALE_GRACE_MS;
  const age = facts.createdAt === undefined ? Infinity : now - facts.createdAt;
  const last = facts.lastEvaluatedAt ?? 0;
  if (last <= 0) {
    if (age > graceMs) {
      const since = Number.isFinite(age) ? ` in the ${days(age)} since it was created` : "";
      return { stale: true, reason: "NeverEvaluated", message: `never evaluated${since}` };
    }
    return { stale: false, reason: "WithinGracePeriod", message: "new flag, not evaluated yet" };
  }
  const idle = now - last;
  if (idle > staleAfterMs) {
    return {
      stale: true,
      reason: "NotEvaluated",
      message: `not evaluated for ${days(idle)} (stale after ${days(staleAfterMs)})`,
    };
  }
  const served = Object.entries(facts.variantsLast30d).filter(([, n]) => n > 0);
  // one variant for the whole window: the flag was in use (first evaluated) at its start
  const first = facts.firstEvaluatedAt;
  if (served.length === 1 && first !== undefined && first > 0 && now - first >= SINGLE_VARIANT_MS) {
    const [variant] = served[0]!;
    return {
      stale: true,
      reason: "SingleVariant",
      message: `served only variant "${variant}" to everyone for ${days(SINGLE_VARIANT_MS)}: ready to remove from code`,
    };
  }
  return { stale: false, reason: "Evaluated", message: `evaluated within ${days(staleAfterMs)}` };
}
