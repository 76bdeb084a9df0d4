// Local evaluation's snapshot: loaded from GET /v1/snapshot (ETag / If-None-Match), refetched
// when /v1/stream names another hash, swapped atomically (one reference: an evaluation in flight
// keeps the snapshot it started with), and kept while the evaluator is unreachable. A snapshot
// file (`vexil compile` output) allows an offline start. The state and its changes are reported
// to one listener, which the provider turns into OpenFeature events.
import { readFile } from "node:fs/promises";
import type { Snapshot } from "../engine/snapshot/snapshot.ts";
import { readEvents, sleep, snapshotHashOf, type StreamEvent } from "./sse.ts";
import { failureOf, failureOfError, type Transport } from "./transport.ts";

/** READY: a current snapshot; STALE: the last good one while the evaluator is unreachable; ERROR: none. */
export type LocalState = "NOT_READY" | "READY" | "STALE" | "ERROR";
export type SnapshotEvent = "ready" | "changed" | "stale" | "error";
export type SnapshotListener = (event: SnapshotEvent, message: string) => void;

export interface SnapshotOptions {
  /** a snapshot file (`vexil compile` output) to start from, even without an evaluator */
  snapshotFile?: string;
}

/** The snapshot in `value`, or why it is not one (nothing else is accepted, so the last good one stays). */
export function snapshotOf(value: unknown): Snapshot | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a snapshot is a JSON object";
  const { schemaVersion, hash, flags } = value as Record<string, unknown>;
  if (schemaVersion !== 1) return `snapshot schemaVersion ${JSON.stringify(schemaVersion)} is not supported (1 is)`;
  if (typeof hash !== "string") return "snapshot.hash must be a string";
  if (typeof flags !== "object" || flags === null || Array.isArray(flags)) return "snapshot.flags must be an object";
  return value as Snapshot;
}

export class SnapshotFollower {
  readonly #transport: Transport | undefined;
  readonly #file: string | undefined;
  readonly #listener: SnapshotListener;
  readonly #stop = new AbortController();
  #snapshot: Snapshot | undefined;
  #etag: string | undefined;
  #state: LocalState = "NOT_READY";
  #retryMs = 1000;
  #refreshing: Promise<boolean> = Promise.resolve(true);

  constructor(transport: Transport | undefined, options: SnapshotOptions, listener: SnapshotListener) {
    if (transport === undefined && options.snapshotFile === undefined) {
      throw new Error("local evaluation needs a baseUrl, a snapshotFile, or both");
    }
    this.#transport = transport;
    this.#file = options.snapshotFile;
    this.#listener = listener;
  }

  /** The snapshot in force (undefined before the first). */
  get current(): Snapshot | undefined {
    return this.#snapshot;
  }

  get state(): LocalState {
    return this.#state;
  }

  /** Loads the file, fetches from the evaluator, then follows its stream in the background. */
  async start(): Promise<void> {
    if (this.#file !== undefined) await this.#loadFile(this.#file);
    if (this.#transport === undefined) return;
    await this.refresh();
    void this.#follow();
  }

  stop(): void {
    this.#stop.abort();
  }

  /** Fetches the snapshot unless the ETag says it is unchanged; false when that failed. One at a time, in order. */
  refresh(): Promise<boolean> {
    this.#refreshing = this.#refreshing.then(() => this.#fetch());
    return this.#refreshing;
  }

  async #fetch(): Promise<boolean> {
    const transport = this.#transport as Transport;
    const headers: Record<string, string> = {};
    if (this.#etag !== undefined && this.#snapshot !== undefined) headers["If-None-Match"] = this.#etag;
    let answer;
    try {
      answer = await transport.get("/v1/snapshot", headers);
    } catch (error) {
      return this.#failed(`GET /v1/snapshot failed: ${failureOfError(error).errorMessage}`);
    }
    if (answer.status === 304) return (this.#setState("READY", "the snapshot is current"), true);
    if (answer.status !== 200) return this.#failed(`GET /v1/snapshot: ${failureOf(answer).errorMessage}`);
    const snapshot = snapshotOf(answer.body);
    if (typeof snapshot === "string") return this.#failed(`GET /v1/snapshot: ${snapshot}`);
    this.#etag = answer.etag;
    this.#swap(snapshot, "from the evaluator");
    return true;
  }

  async #loadFile(file: string): Promise<void> {
    let snapshot: Snapshot | string;
    try {
      snapshot = snapshotOf(JSON.parse(await readFile(file, "utf8")));
    } catch (error) {
      snapshot = error instanceof Error ? error.message : String(error);
    }
    if (typeof snapshot === "string") this.#failed(`snapshot file ${file}: ${snapshot}`);
    else this.#swap(snapshot, `from ${file}`);
  }

  #swap(snapshot: Snapshot, from: string): void {
    const previous = this.#snapshot;
    this.#snapshot = snapshot;
    this.#setState("READY", `snapshot ${snapshot.hash} ${from}`);
    if (previous !== undefined && previous.hash !== snapshot.hash) {
      this.#listener("changed", `snapshot ${snapshot.hash} ${from}`);
    }
  }

  #failed(message: string): false {
    this.#setState(this.#snapshot === undefined ? "ERROR" : "STALE", message);
    return false;
  }

  #setState(state: LocalState, message: string): void {
    const previous = this.#state;
    this.#state = state;
    if (previous === state) return;
    if (state === "READY") this.#listener("ready", message);
    else if (state === "STALE") this.#listener("stale", message);
    else if (state === "ERROR") this.#listener("error", message);
  }

  /** Follows /v1/stream: a snapshot hash other than ours triggers a refresh; a cut stream a refresh and a retry. */
  async #follow(): Promise<void> {
    const transport = this.#transport as Transport;
    while (!this.#stop.signal.aborted) {
      try {
        const response = await transport.stream("/v1/stream", this.#stop.signal);
        if (response.status !== 200 || response.body === null) throw new Error(`HTTP ${response.status}`);
        this.#retryMs = 1000;
        await this.refresh(); // what changed while the stream was down
        await readEvents(response.body, (event) => this.#event(event));
        if (!this.#stop.signal.aborted) this.#failed("the evaluator closed /v1/stream");
      } catch (error) {
        if (!this.#stop.signal.aborted) this.#failed(`/v1/stream: ${failureOfError(error).errorMessage}`);
      }
      await sleep(this.#retryMs, this.#stop.signal);
      this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
    }
  }

  #event(event: StreamEvent): void {
    if (event.retryMs !== undefined) this.#retryMs = event.retryMs;
    const hash = snapshotHashOf(event);
    if (hash !== undefined && hash !== this.#snapshot?.hash) void this.refresh();
  }
}
