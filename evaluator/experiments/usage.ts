// Flag usage rollups: every evaluation of a known flag adds one to an in-memory count per
// (flag, variant, reason, environment, hour); every few seconds the counts go to the event
// writer as usage records (a handful of rows, however many evaluations), so the operator can
// tell which flags are used and which are stale. Counting is a Map update: cheap on the hot path.
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { UsageRecord } from "../../event-store/store.ts";
import type { EventWriter } from "../../event-store/writer.ts";

export const DEFAULT_USAGE_FLUSH_MS = 10_000;
const HOUR_MS = 3_600_000;

export class UsageRollup {
  readonly #writer: EventWriter;
  readonly #now: () => number;
  #counts = new Map<string, UsageRecord>();
  #timer: NodeJS.Timeout | undefined;

  constructor(writer: EventWriter, flushMs = DEFAULT_USAGE_FLUSH_MS, now: () => number = Date.now) {
    this.#writer = writer;
    this.#now = now;
    this.#timer = setInterval(() => this.flush(), flushMs);
    this.#timer.unref();
  }

  /** After every evaluation of a flag the snapshot holds. */
  observe(snapshot: Snapshot, key: string, result: EvaluationResult): void {
    const at = this.#now();
    const hour = at - (at % HOUR_MS);
    const variant = result.variant ?? "";
    const id = `${snapshot.namespace}\u0000${key}\u0000${variant}\u0000${result.reason}\u0000${snapshot.environment}\u0000${hour}`;
    const seen = this.#counts.get(id);
    if (seen !== undefined) {
      seen.evaluations += 1;
      seen.lastAt = at;
      return;
    }
    this.#counts.set(id, {
      kind: "usage",
      namespace: snapshot.namespace,
      flag: key,
      variant,
      reason: result.reason,
      environment: snapshot.environment,
      hour,
      evaluations: 1,
      lastAt: at,
    });
  }

  /** Hands the counts so far to the writer (which batches and retries them). */
  flush(): void {
    if (this.#counts.size === 0) return;
    const counts = this.#counts;
    this.#counts = new Map();
    for (const record of counts.values()) this.#writer.add(record);
  }

  /** Stops the timer and hands over what is counted; the writer's close writes it. */
  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}
