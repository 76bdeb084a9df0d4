// The batching writer between evaluation and the store. add() is synchronous and never throws
// or waits: records go into a buffer bounded by count AND bytes, and a background loop writes
// them in batches, one batch in flight at a time. When the store is down the batch stays at
// the head of the buffer and is retried with backoff, so what was buffered during an outage
// lands after it; only what does not fit in the buffer is dropped, counted and logged.
import type { EventRecord, EventStore } from "./store.ts";

export type DropReason = "buffer_full" | "shutdown";

export interface WriterLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface EventWriterOptions {
  /** records buffered at most; default 100 000 */
  maxEvents?: number;
  /** estimated bytes buffered at most; default 16 MiB */
  maxBytes?: number;
  /** records per store write; default 1000 */
  batchSize?: number;
  /** how long a partial batch waits for company; default 200 ms */
  flushIntervalMs?: number;
  /** backoff after a failed write, doubling up to maxRetryMs; defaults 250 ms and 10 s */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** at most one drop / outage log line per this interval; default 10 s */
  logIntervalMs?: number;
  onDropped?: (reason: DropReason, count: number) => void;
  onWritten?: (count: number) => void;
  log?: WriterLog;
}

export interface WriterStats {
  buffered: number;
  bufferedBytes: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

/** A generous estimate of a record's heap size: object overhead plus two bytes per string character. */
export function recordBytes(record: EventRecord): number {
  if (record.kind === "usage") {
    const strings = record.namespace.length + record.flag.length + record.variant.length + record.reason.length;
    return 160 + 2 * (strings + record.environment.length);
  }
  const strings =
    record.kind === "exposure"
      ? record.namespace.length + record.experiment.length + record.flag.length + record.variant.length
      : record.namespace.length + record.event.length;
  return 120 + 2 * (strings + record.targetingKey.length);
}

const silent: WriterLog = { warn: () => {}, info: () => {} };

export class EventWriter {
  readonly #store: EventStore;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #minRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #logIntervalMs: number;
  readonly #options: EventWriterOptions;
  readonly #log: WriterLog;
  #buffer: EventRecord[] = [];
  #head = 0;
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #retryMs = 0;
  #closed = false;
  #stats = { written: 0, dropped: 0, failedWrites: 0 };
  #unloggedDrops = 0;
  #lastDropLog = -Infinity;
  #lastFailureLog = -Infinity;
  #failing = false;

  constructor(store: EventStore, options: EventWriterOptions = {}) {
    this.#store = store;
    this.#options = options;
    this.#maxEvents = options.maxEvents ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#batchSize = options.batchSize ?? 1000;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    this.#minRetryMs = options.minRetryMs ?? 250;
    this.#maxRetryMs = options.maxRetryMs ?? 10_000;
    this.#logIntervalMs = options.logIntervalMs ?? 10_000;
    this.#log = options.log ?? silent;
  }

  get store(): EventStore {
    return this.#store;
  }

  /** Buffers a record for writing; false when it was dropped (buffer full, or closed). */
  add(record: EventRecord): boolean {
    const size = recordBytes(record);
    if (this.#closed) return this.#drop("shutdown", 1);
    if (this.pending() >= this.#maxEvents || this.#bytes + size > this.#maxBytes) return this.#drop("buffer_full", 1);
    this.#buffer.push(record);
    this.#bytes += size;
    this.#schedule();
    return true;
  }

  pending(): number {
    return this.#buffer.length - this.#head;
  }

  stats(): WriterStats {
    return { buffered: this.pending(), bufferedBytes: this.#bytes, ...this.#stats };
  }

  /** Writes everything buffered now; resolves true when the buffer emptied, false when the store failed. */
  async flush(): Promise<boolean> {
    this.#clearTimer();
    while (this.pending() > 0) {
      if (this.#inFlight) await this.#inFlight;
      else if (!(await this.#writeBatch())) return false;
    }
    return true;
  }

  /**
   * Stops accepting records and flushes, retrying for up to timeoutMs (SIGTERM: what is
   * buffered is written before the process exits); what is still buffered then is dropped.
   */
  async close(timeoutMs = 5000): Promise<void> {
    this.#closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.pending() > 0 && Date.now() < deadline) {
      if (await this.flush()) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#retryMs, Math.max(0, deadline - Date.now()))));
    }
    this.#clearTimer();
    if (this.pending() > 0) {
      const left = this.pending();
      this.#buffer = [];
      this.#head = 0;
      this.#bytes = 0;
      this.#drop("shutdown", left);
    }
    this.#logDrops(true);
  }

  #drop(reason: DropReason, count: number): false {
    this.#stats.dropped += count;
    this.#unloggedDrops += count;
    this.#options.onDropped?.(reason, count);
    this.#logDrops(false, reason);
    return false;
  }

  #logDrops(force: boolean, reason?: DropReason): void {
    const now = Date.now();
    if (this.#unloggedDrops === 0 || (!force && now - this.#lastDropLog < this.#logIntervalMs)) return;
    const fields = { dropped: this.#unloggedDrops, reason, buffered: this.pending(), store: this.#store.description };
    this.#log.warn(fields, "events dropped: the event buffer is full (the store is slow or down)");
    this.#unloggedDrops = 0;
    this.#lastDropLog = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#inFlight !== undefined || this.pending() === 0) return;
    const full = this.pending() >= this.#batchSize && this.#retryMs === 0;
    const delay = this.#retryMs > 0 ? this.#retryMs : full ? 0 : this.#flushIntervalMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#writeBatch().then(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes the head batch; it leaves the buffer only once the store has it. */
  #writeBatch(): Promise<boolean> {
    const end = Math.min(this.#head + this.#batchSize, this.#buffer.length);
    const batch = this.#buffer.slice(this.#head, end);
    if (batch.length === 0) return Promise.resolve(true);
    let ok = false;
    const attempt = this.#store.write(batch).then(
      () => {
        ok = true;
        this.#written(batch);
      },
      (error: unknown) => this.#failed(error),
    );
    this.#inFlight = attempt.finally(() => (this.#inFlight = undefined));
    return this.#inFlight.then(() => ok);
  }

  #written(batch: readonly EventRecord[]): void {
    this.#head += batch.length;
    for (const record of batch) this.#bytes -= recordBytes(record);
    if (this.#head > 4096 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    this.#stats.written += batch.length;
    this.#options.onWritten?.(batch.length);
    this.#retryMs = 0;
    if (this.#failing) {
      this.#failing = false;
      this.#log.info({ store: this.#store.description, buffered: this.pending() }, "event store reachable again");
    }
    this.#logDrops(false);
  }

  #failed(error: unknown): void {
    this.#stats.failedWrites += 1;
    this.#failing = true;
    this.#retryMs = Math.min(this.#maxRetryMs, Math.max(this.#minRetryMs, this.#retryMs * 2));
    const now = Date.now();
    if (now - this.#lastFailureLog >= this.#logIntervalMs) {
      this.#lastFailureLog = now;
      const fields = {
        store: this.#store.description,
        err: error instanceof Error ? error.message : String(error),
        buffered: this.pending(),
        retryInMs: this.#retryMs,
      };
      this.#log.warn(fields, "event store write failed; events stay buffered and are retried");
    }
  }
}
