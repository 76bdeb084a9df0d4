// OpenFeature tracking (and local evaluation's exposures) sent to the evaluator's POST /v1/events in batches: a batch leaves when it
// is full, on a timer, on flush() and on close. A failed send keeps the events for the next try,
// bounded so an unreachable evaluator cannot grow memory without limit.
import type { Transport } from "./transport.ts";

export interface TrackingOptions {
  /** events per POST /v1/events (default 100, at most 1000) */
  eventBatchSize?: number;
  /** how often queued events are sent, in ms (default 1000) */
  eventFlushIntervalMs?: number;
  /** events kept while the evaluator is unreachable (default 10000); the oldest are dropped past it */
  maxQueuedEvents?: number;
}

/** The body of one event, as the evaluator's /v1/events accepts it (exposures come from local evaluation). */
export interface TrackedEvent {
  type: "conversion" | "value" | "exposure";
  /** the tracked event's name (conversions and values) */
  event?: string;
  targetingKey: string;
  timestamp: string;
  flag?: string;
  variant?: string;
  experiment?: string;
  value?: number;
}

export class EventBatcher {
  readonly #transport: Transport;
  readonly #batchSize: number;
  readonly #maxQueued: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #queue: TrackedEvent[] = [];
  #sending: Promise<void> = Promise.resolve();

  constructor(transport: Transport, options: TrackingOptions) {
    this.#transport = transport;
    this.#batchSize = Math.min(Math.max(options.eventBatchSize ?? 100, 1), 1000);
    this.#maxQueued = options.maxQueuedEvents ?? 10_000;
    this.#timer = setInterval(() => void this.flush(), options.eventFlushIntervalMs ?? 1000);
    this.#timer.unref?.();
  }

  add(event: TrackedEvent): void {
    this.#queue.push(event);
    if (this.#queue.length > this.#maxQueued) this.#queue.splice(0, this.#queue.length - this.#maxQueued);
    if (this.#queue.length >= this.#batchSize) void this.flush();
  }

  /** Send everything queued; resolves when done (events that failed stay queued). */
  flush(): Promise<void> {
    this.#sending = this.#sending.then(() => this.#sendAll());
    return this.#sending;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #sendAll(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#batchSize);
      try {
        const answer = await this.#transport.post("/v1/events", batch);
        // 4xx other than 429 will not get better on retry: the batch is dropped
        if (answer.status === 429 || answer.status >= 500) throw new Error(`HTTP ${answer.status}`);
      } catch {
        this.#queue.unshift(...batch);
        return;
      }
    }
  }
}
