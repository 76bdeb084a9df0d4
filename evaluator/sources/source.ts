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

export interface SnapshotSource extends EventEmitter<SnapshotSourceEvents> {
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
  abstract readonly description: string;

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
    this.emit("reload", "success");
    if (previous?.hash !== snapshot.hash) {
      this.#loadedAt = new Date();
      this.emit("change", snapshot);
    }
  }

  protected reject(outcome: Exclude<ReloadOutcome, "success">, detail: string): void {
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
