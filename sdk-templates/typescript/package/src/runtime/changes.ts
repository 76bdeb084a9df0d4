// Change notification: follow the evaluator's /v1/stream (server-sent events naming the snapshot
// hash) and call onChange when the hash moves. While the stream is down, poll bulk evaluation
// with If-None-Match instead, and reconnect the stream after the server's retry hint.
import { readEvents, sleep, snapshotHashOf, type StreamEvent } from "./sse.ts";
import type { Transport } from "./transport.ts";

export interface ChangeWatcherOptions {
  /** follow /v1/stream (default true); false polls only */
  stream?: boolean;
  /** how often to poll while the stream is down or disabled, in ms (default 30000) */
  pollIntervalMs?: number;
}

export class ChangeWatcher {
  readonly #transport: Transport;
  readonly #onChange: () => void;
  readonly #useStream: boolean;
  readonly #pollMs: number;
  readonly #stop = new AbortController();
  #hash: string | undefined;
  #pollEtag: string | undefined;
  #pollTimer: ReturnType<typeof setInterval> | undefined;
  #retryMs = 1000;

  constructor(transport: Transport, options: ChangeWatcherOptions, onChange: () => void) {
    this.#transport = transport;
    this.#onChange = onChange;
    this.#useStream = options.stream ?? true;
    this.#pollMs = options.pollIntervalMs ?? 30_000;
  }

  start(): void {
    if (this.#useStream) void this.#follow();
    else this.#startPolling();
  }

  stop(): void {
    this.#stop.abort();
    this.#stopPolling();
  }

  /** A snapshot hash seen on the stream; a new one after the first is a change (also across reconnects). */
  #seen(version: string): void {
    const previous = this.#hash;
    this.#hash = version;
    if (previous !== undefined && previous !== version) this.#onChange();
  }

  async #follow(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        const response = await this.#transport.stream("/v1/stream", this.#stop.signal);
        if (response.status !== 200 || response.body === null) throw new Error(`HTTP ${response.status}`);
        this.#stopPolling();
        this.#retryMs = 1000;
        await readEvents(response.body, (event) => this.#event(event));
      } catch {
        // unreachable, refused or cut: poll until the stream is back
      }
      if (this.#stop.signal.aborted) return;
      this.#startPolling();
      await sleep(this.#retryMs, this.#stop.signal);
      this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
    }
  }

  #event(event: StreamEvent): void {
    if (event.retryMs !== undefined) this.#retryMs = event.retryMs;
    const hash = snapshotHashOf(event);
    if (hash !== undefined) this.#seen(hash);
  }

  #startPolling(): void {
    if (this.#pollTimer !== undefined || this.#stop.signal.aborted) return;
    this.#pollTimer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#pollTimer.unref?.();
  }

  #stopPolling(): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  async #poll(): Promise<void> {
    try {
      const headers: Record<string, string> = this.#pollEtag === undefined ? {} : { "If-None-Match": this.#pollEtag };
      const answer = await this.#transport.post("/ofrep/v1/evaluate/flags", { context: {} }, headers);
      if (answer.status !== 200 || answer.etag === undefined) return;
      const previous = this.#pollEtag;
      this.#pollEtag = answer.etag;
      if (previous !== undefined && previous !== answer.etag) this.#onChange();
    } catch {
      // still unreachable: try again next interval
    }
  }
}
