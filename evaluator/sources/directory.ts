// The embedded default: a directory of flag YAML, watched and recompiled on change. A big
// folder is read and compiled on a worker thread (./compile-thread.ts): requests keep being
// answered while it recompiles.
// Any compile problem rejects the new snapshot as a whole and the last good one keeps being
// served; a file caught empty, unparsable or briefly missing (an editor mid-save) is served
// from its last good content (./last-good-files.ts), so a half-saved file never takes flags
// away from running services. The folder's parent is watched too, so a folder deleted and
// recreated is watched again, and a periodic rescan catches whatever events were missed.
// While anything is served from before, the source reports itself stale (/readyz, metrics).
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { ExperimentResource } from "../../core/schema/index.ts";
import type { Logger } from "../logger.ts";
import { SnapshotHolder } from "./source.ts";
import { FolderReloads } from "./compile-thread.ts";
import { folderFiles, isHidden } from "./folder-files.ts";

export interface DirectorySourceOptions {
  dir: string;
  namespace: string;
  environment: string;
  /** wait this long after the last file event before recompiling (editors write in bursts) */
  debounceMs?: number;
  /** poll instead of fs.watch (network filesystems); the interval in ms */
  pollMs?: number;
  logger?: Logger;
  /** rescan the folder's files (names, inodes, sizes, times) this often, whatever the watcher saw (default 5 s) */
  rescanMs?: number;
  /** after each good load: the folder's experiments (`vexil serve` stores their definitions) */
  onExperiments?: (experiments: readonly ExperimentResource[]) => void;
}

/** setTimeout's limit; a rollout step further away is re-armed when this fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DirectorySnapshotSource extends SnapshotHolder {
  readonly description: string;
  readonly #options: Required<Omit<DirectorySourceOptions, "pollMs" | "logger" | "onExperiments" | "rescanMs">> &
    Pick<DirectorySourceOptions, "pollMs" | "onExperiments">;
  readonly #logger: Logger | undefined;
  #watcher: FSWatcher | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #pollSignature = "";
  #debounceTimer: NodeJS.Timeout | undefined;
  #nextChangeTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> = Promise.resolve();
  #stopped = false;
  readonly #reloads: FolderReloads;
  #parentWatcher: FSWatcher | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;
  readonly #rescanMsOption: number | undefined;
  #failing = false;

  constructor(options: DirectorySourceOptions) {
    super();
    this.#options = { debounceMs: 100, ...options, dir: path.resolve(options.dir) };
    this.#logger = options.logger;
    this.description = `directory ${this.#options.dir}`;
    this.#rescanMsOption = options.rescanMs;
    const { dir, namespace, environment, debounceMs } = this.#options;
    this.#reloads = new FolderReloads({ dir, namespace, environment, graceMs: Math.max(debounceMs * 5, 500) });
  }

  /** Loads once, then watches. Resolves even when the first load fails (not ready until fixed). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.reload();
    if (this.#options.pollMs !== undefined) this.#startPolling(this.#options.pollMs);
    else {
      this.#startWatching();
      this.#watchParent();
      this.#startPolling(this.#rescanMs);
    }
  }

  get #rescanMs(): number {
    return this.#rescanMsOption ?? 5000;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#parentWatcher?.close();
    this.#parentWatcher = undefined;
    clearTimeout(this.#recheckTimer);
    clearInterval(this.#pollTimer);
    clearTimeout(this.#debounceTimer);
    clearTimeout(this.#nextChangeTimer);
    await this.#reloads.close(); // a reload on a thread ends now, as an error nobody reports
    await this.#reloading;
  }

  /** Recompile now. Reloads are serialised so an older compile never overwrites a newer one. */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(() => this.#reloadOnce());
    return this.#reloading;
  }

  async #reloadOnce(): Promise<void> {
    if (this.#stopped) return;
    const { dir } = this.#options;
    const result = await this.#reloads.run();
    if (this.#stopped) return;
    for (const warning of result.warnings) this.#logger?.warn({ dir, detail: warning }, "skipped");
    this.#recheckLater(result.recheckInMs);
    if (!result.ok) {
      this.#failing = true;
      if (result.outcome === "invalid")
        this.#logger?.warn(
          { dir, problems: result.problems, detail: result.detail },
          "flag files are invalid; keeping the last good snapshot",
        );
      else
        this.#logger?.error({ dir, err: result.detail }, "reloading flag files failed; keeping the last good snapshot");
      this.reject(result.outcome, result.detail);
      return;
    }
    this.offer(result.snapshot);
    this.#reportKept(result.kept);
    this.#options.onExperiments?.(result.experiments);
    this.#scheduleNextChange(result.snapshot.nextChangeAt);
  }

  /** Files served from their last good content make the snapshot stale; recovery is logged. */
  #reportKept(kept: { file: string; reason: string }[]): void {
    if (kept.length > 0) {
      const detail = kept.map((k) => `${k.file}: ${k.reason}, served from its last good content`).join("\n");
      this.#failing = true;
      this.#logger?.warn(
        { dir: this.#options.dir, detail },
        "some flag files are not readable yet; serving their last good content",
      );
      this.markStale(detail);
      return;
    }
    if (this.#failing) {
      this.#failing = false;
      this.#logger?.info(
        { dir: this.#options.dir, hash: this.current()?.hash },
        "flag files are valid again; the served snapshot is current",
      );
    }
  }

  #recheckLater(ms: number | undefined): void {
    clearTimeout(this.#recheckTimer);
    if (ms === undefined || this.#stopped) return;
    this.#recheckTimer = setTimeout(() => void this.reload(), ms);
    this.#recheckTimer.unref();
  }

  /** Time-based rollouts (gradual, canary) change without a file changing: recompile then. */
  #scheduleNextChange(nextChangeAt: string | undefined): void {
    clearTimeout(this.#nextChangeTimer);
    if (nextChangeAt === undefined || this.#stopped) return;
    const delay = Math.max(0, Date.parse(nextChangeAt) - Date.now());
    if (Number.isNaN(delay)) return;
    const rearmOnly = delay > MAX_TIMER_MS;
    this.#nextChangeTimer = setTimeout(
      () => (rearmOnly ? this.#scheduleNextChange(nextChangeAt) : void this.reload()),
      Math.min(delay, MAX_TIMER_MS),
    );
    this.#nextChangeTimer.unref();
  }

  #changed = (_event?: string, filename?: string | null): void => {
    // dot folders are not flag files: .git, and .vexil where the embedded event store writes
    if (typeof filename === "string" && isHidden(filename)) return;
    clearTimeout(this.#debounceTimer);
    this.#debounceTimer = setTimeout(() => void this.reload(), this.#options.debounceMs);
  };

  #startWatching(): void {
    try {
      this.#watcher = watch(this.#options.dir, { recursive: true }, this.#changed);
      this.#watcher.on("error", (error) => {
        this.#logger?.warn({ err: error.message }, "watching the flag directory failed; polling instead");
        this.#watcher?.close();
        this.#watcher = undefined;
        this.#startPolling(1000);
      });
    } catch (error) {
      this.#logger?.warn({ err: (error as Error).message }, "fs.watch is unavailable here; polling the flag directory");
      this.#startPolling(1000);
    }
  }

  /**
   * The folder itself may be deleted and recreated (a git checkout, a ConfigMap-style symlink
   * swap): a recursive watch on it then watches nothing. The parent's events about the folder's
   * name re-arm the watch and reload.
   */
  #watchParent(): void {
    const { dir } = this.#options;
    try {
      this.#parentWatcher = watch(path.dirname(dir), (_event, filename) => {
        if (filename !== path.basename(dir) || this.#stopped) return;
        this.#watcher?.close();
        this.#watcher = undefined;
        this.#startWatching();
        this.#changed();
      });
      this.#parentWatcher.on("error", () => undefined); // the periodic rescan still runs
    } catch {
      // no watch on the parent (permissions): the periodic rescan covers it
    }
  }

  /** Polling mode, and the periodic rescan that backs up the watcher. */
  #startPolling(intervalMs: number): void {
    if (this.#stopped) return;
    void directorySignature(this.#options.dir).then((signature) => (this.#pollSignature = signature));
    this.#pollTimer = setInterval(() => {
      void directorySignature(this.#options.dir).then((signature) => {
        if (signature === this.#pollSignature) return this.confirm();
        const rearm = this.#watcher === undefined && this.#options.pollMs === undefined;
        this.#pollSignature = signature;
        if (rearm) this.#startWatching();
        this.#changed();
      });
    }, intervalMs);
    this.#pollTimer.unref();
  }
}

/** Names, sizes and modification times of every file under dir: changes when any file does. */
async function directorySignature(dir: string): Promise<string> {
  try {
    const files = await folderFiles(dir);
    return files.map(({ file, stats: s }) => `${file}:${s?.ino ?? -1}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`).join("\n");
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}
