// Where the evaluator's snapshot comes from. A source holds the last good snapshot and swaps
// it atomically (one reference assignment); a bad update never replaces a good snapshot.
import { EventEmitter } from "node:events";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";

export type ReloadOutcome = "success" | "invalid" | "error";

export interface SnapshotSourceEvents {
  /** a new snapshot (different hash) is now served */
  change: [snapshot: Snapshot];
  /** every reload attempt, for metrics and logs; `detail` says why it failed */
  reload: [outcome: ReloadOutcome, detail?: string];
  /** the upstream watch failed and is being restarted */
  watchRestart: [error: string];
}

/** Whether the served snapshot is the source's current content, and if not since when and why. */
export interface SourceFreshness {
  /** last time the source confirmed the served snapshot matches its content */
  confirmedAt: Date | undefined;
  /** set while the latest reload failed, or part of the content is served from before */
  staleSince: Date | undefined;
  lastError: string | undefined;
}

export interface SnapshotSource extends EventEmitter<SnapshotSourceEvents> {
  /** freshness of the served snapshot, for /readyz and the snapshot age gauge */
  freshness?(): SourceFreshness;
  /** the snapshot being served; undefined until the first good one is loaded */
  current(): Snapshot | undefined;
  /** when the current snapshot was loaded */
  loadedAt(): Date | undefined;
  /** a one-line description for logs, e.g. "directory ./flags" */
  readonly description: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Holds the current snapshot and emits the events; concrete sources decide when to offer one. */
export abstract class SnapshotHolder extends EventEmitter<SnapshotSourceEvents> implements SnapshotSource {
  #snapshot: Snapshot | undefined;
  #loadedAt: Date | undefined;
  #freshness: SourceFreshness = { confirmedAt: undefined, staleSince: undefined, lastError: undefined };
  abstract readonly description: string;

  freshness(): SourceFreshness {
    return { ...this.#freshness };
  }

  /** The source checked its content and it is what is served: the snapshot is current as of now. */
  protected confirm(): void {
    if (this.#snapshot !== undefined && this.#freshness.staleSince === undefined)
      this.#freshness = { ...this.#freshness, confirmedAt: new Date() };
  }

  /** Served, but not all of it current (e.g. a file kept from its last good content). */
  protected markStale(detail: string): void {
    this.#freshness = { ...this.#freshness, staleSince: this.#freshness.staleSince ?? new Date(), lastError: detail };
  }

  current(): Snapshot | undefined {
    return this.#snapshot;
  }

  loadedAt(): Date | undefined {
    return this.#loadedAt;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Serve `snapshot` from now on; emits `change` only when the content hash differs. */
  protected offer(snapshot: Snapshot): void {
    const previous = this.#snapshot;
    this.#snapshot = snapshot;
    this.#freshness = { confirmedAt: new Date(), staleSince: undefined, lastError: undefined };
    this.emit("reload", "success");
    if (previous?.hash !== snapshot.hash) {
      this.#loadedAt = new Date();
      this.emit("change", snapshot);
    }
  }

  protected reject(outcome: Exclude<ReloadOutcome, "success">, detail: string): void {
    this.markStale(detail);
    this.emit("reload", outcome, detail);
  }
}

/** A fixed snapshot, e.g. one read from a compiled JSON file; never changes. */
export class StaticSnapshotSource extends SnapshotHolder {
  readonly description: string;
  readonly #snapshot: Snapshot;

  constructor(snapshot: Snapshot, description = "static snapshot") {
    super();
    this.#snapshot = snapshot;
    this.description = description;
  }

  async start(): Promise<void> {
    this.offer(this.#snapshot);
  }

  async stop(): Promise<void> {}
}
