// The TypeScript API's durable usage: evaluations counted per flag, variant, reason,
// environment and hour in memory, handed to the event store's batching writer every few
// seconds and before every read, so getAnalytics() sees its own evaluations and everyone else's.
import type { StoredUsage, UsageLedger } from "../core/facade/usage.ts";
import { openEventStore } from "../event-store/open.ts";
import type { EventStore, UsageRecord } from "../event-store/store.ts";
import { EventWriter } from "../event-store/writer.ts";

const HOUR_MS = 3_600_000;

export class EventStoreUsageLedger implements UsageLedger {
  readonly #store: EventStore;
  readonly #ownsStore: boolean;
  readonly #writer: EventWriter;
  readonly #timer: NodeJS.Timeout;
  #counts = new Map<string, UsageRecord>();

  /** A postgres:// URL or SQLite file (opened and closed here), or a store the caller owns. */
  constructor(store: string | EventStore, flushMs = 5000) {
    this.#ownsStore = typeof store === "string";
    this.#store = typeof store === "string" ? openEventStore(store) : store;
    this.#writer = new EventWriter(this.#store);
    this.#timer = setInterval(() => this.#handOver(), flushMs);
    this.#timer.unref();
  }

  record(namespace: string, flag: string, variant: string, reason: string, environment: string, at: number): void {
    const hour = at - (at % HOUR_MS);
    const id = `${namespace}\u0000${flag}\u0000${variant}\u0000${reason}\u0000${environment}\u0000${hour}`;
    const seen = this.#counts.get(id);
    if (seen !== undefined) {
      seen.evaluations += 1;
      seen.lastAt = Math.max(seen.lastAt, at);
    } else {
      this.#counts.set(id, {
        kind: "usage",
        namespace,
        flag,
        variant,
        reason,
        environment,
        hour,
        evaluations: 1,
        lastAt: at,
      });
    }
  }

  async read(namespace: string, since: number): Promise<StoredUsage[]> {
    this.#handOver();
    await this.#writer.flush();
    return this.#store.usage({ namespace, since });
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#handOver();
    await this.#writer.close();
    if (this.#ownsStore) await this.#store.close();
  }

  #handOver(): void {
    const counts = this.#counts;
    this.#counts = new Map();
    for (const record of counts.values()) this.#writer.add(record);
  }
}
