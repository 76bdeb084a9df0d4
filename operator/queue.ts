// A de-duplicating, rate-limited work queue, because @kubernetes/client-node has none.
// Semantics follow the controller-runtime queue users know: a key waiting in the queue is
// added once however many events arrive; a key being processed is never handed to a second
// worker (events arriving meanwhile mark it dirty and it is queued again when done); failures
// are retried with per-key exponential backoff, capped by an overall token bucket so a burst
// of failing keys cannot hammer the API server.

export interface WorkQueueOptions {
  /** First retry delay after a failure. Default 200 ms. */
  baseDelayMs?: number;
  /** Longest retry delay. Default 5 minutes. */
  maxDelayMs?: number;
  /** Overall retry rate (tokens per second) and burst. Default 10/s, burst 100. */
  retriesPerSecond?: number;
  retryBurst?: number;
  /** Called whenever the number of queued keys changes (for the queue_depth gauge). */
  onDepthChange?: (depth: number) => void;
}

export class WorkQueue<K extends string = string> {
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly timers = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly retriesPerSecond: number;
  private readonly retryBurst: number;
  private tokens: number;
  private tokensAt = Date.now();
  private closed = false;
  private readonly onDepthChange: ((depth: number) => void) | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.retriesPerSecond = options.retriesPerSecond ?? 10;
    this.retryBurst = options.retryBurst ?? 100;
    this.onDepthChange = options.onDepthChange;
    this.tokens = this.retryBurst;
  }

  /** Queues a key now; no-op when it is already waiting. */
  add(key: K): void {
    if (this.closed || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queue.push(key);
    this.reportDepth();
  }

  /** Queues a key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Queues a failed key again after its backoff (exponential in its consecutive failures). */
  addRateLimited(key: K): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const itemDelay = Math.min(this.baseDelayMs * 2 ** (failures - 1), this.maxDelayMs);
    const delay = Math.max(itemDelay, this.takeToken());
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's failure count after a success. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  failuresOf(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process; resolves undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      this.reportDepth();
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks a key processed; if it changed meanwhile it is queued again. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting (not counting those being processed or delayed). */
  get length(): number {
    return this.queue.length;
  }

  get isShutDown(): boolean {
    return this.closed;
  }

  shutDown(): void {
    this.closed = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.dirty.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    this.reportDepth();
  }

  /** Milliseconds until the overall retry budget allows another retry (0 when a token is free). */
  private takeToken(): number {
    const now = Date.now();
    this.tokens = Math.min(this.retryBurst, this.tokens + ((now - this.tokensAt) / 1000) * this.retriesPerSecond);
    this.tokensAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.retriesPerSecond) * 1000);
  }

  private reportDepth(): void {
    this.onDepthChange?.(this.queue.length);
  }
}
