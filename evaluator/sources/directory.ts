// The embedded default: a directory of flag YAML, watched and recompiled on change.
// Any load or compile problem rejects the new snapshot as a whole and the last good one
// keeps being served, so a half-saved file never takes flags away from running services.
import { watch, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { compile } from "../../core/compile/compile.ts";
import { formatProblem, loadManifestPaths } from "../../core/manifest/load.ts";
import type { AnyResource } from "../../core/manifest/resource.ts";
import type { Logger } from "../logger.ts";
import { SnapshotHolder } from "./source.ts";

export interface DirectorySourceOptions {
  dir: string;
  namespace: string;
  environment: string;
  /** wait this long after the last file event before recompiling (editors write in bursts) */
  debounceMs?: number;
  /** poll instead of fs.watch (network filesystems); the interval in ms */
  pollMs?: number;
  logger?: Logger;
  /** after each good load: every resource of the folder (`vexil serve` stores the experiments' definitions) */
  onResources?: (resources: readonly AnyResource[]) => void;
}

/** setTimeout's limit; a rollout step further away is re-armed when this fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DirectorySnapshotSource extends SnapshotHolder {
  readonly description: string;
  readonly #options: Required<Omit<DirectorySourceOptions, "pollMs" | "logger" | "onResources">> &
    Pick<DirectorySourceOptions, "pollMs" | "onResources">;
  readonly #logger: Logger | undefined;
  #watcher: FSWatcher | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #pollSignature = "";
  #debounceTimer: NodeJS.Timeout | undefined;
  #nextChangeTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: DirectorySourceOptions) {
    super();
    this.#options = { debounceMs: 100, ...options, dir: path.resolve(options.dir) };
    this.#logger = options.logger;
    this.description = `directory ${this.#options.dir}`;
  }

  /** Loads once, then watches. Resolves even when the first load fails (not ready until fixed). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.reload();
    if (this.#options.pollMs !== undefined) this.#startPolling(this.#options.pollMs);
    else this.#startWatching();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    clearInterval(this.#pollTimer);
    clearTimeout(this.#debounceTimer);
    clearTimeout(this.#nextChangeTimer);
    await this.#reloading;
  }

  /** Recompile now. Reloads are serialised so an older compile never overwrites a newer one. */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(() => this.#reloadOnce());
    return this.#reloading;
  }

  async #reloadOnce(): Promise<void> {
    if (this.#stopped) return;
    const { dir, namespace, environment } = this.#options;
    try {
      const loaded = await loadManifestPaths([dir]);
      const compiled = loaded.problems.length > 0 ? undefined : compile(loaded.resources, { namespace, environment });
      const problems = [...loaded.problems, ...(compiled?.problems ?? [])];
      if (problems.length > 0 || compiled === undefined) {
        const detail = problems.map((p) => formatProblem(p)).join("\n");
        this.#logger?.warn(
          { dir, problems: problems.length, detail },
          "flag files are invalid; keeping the last good snapshot",
        );
        this.reject("invalid", detail);
        return;
      }
      this.offer(compiled.snapshot);
      this.#options.onResources?.(loaded.resources);
      this.#scheduleNextChange(compiled.snapshot.nextChangeAt);
    } catch (error) {
      const detail = (error as Error).message;
      this.#logger?.error({ dir, err: detail }, "reloading flag files failed; keeping the last good snapshot");
      this.reject("error", detail);
    }
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

  #startPolling(intervalMs: number): void {
    if (this.#stopped) return;
    void directorySignature(this.#options.dir).then((signature) => (this.#pollSignature = signature));
    this.#pollTimer = setInterval(() => {
      void directorySignature(this.#options.dir).then((signature) => {
        if (signature === this.#pollSignature) return;
        this.#pollSignature = signature;
        this.#changed();
      });
    }, intervalMs);
    this.#pollTimer.unref();
  }
}

/** A path (relative to the flag folder) inside a dot file or folder, which loading skips too. */
function isHidden(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => part.startsWith("."));
}

/** Names, sizes and modification times of every file under dir: changes when any file does. */
async function directorySignature(dir: string): Promise<string> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .filter((file) => !isHidden(path.relative(dir, file)));
    const stats = await Promise.all(
      files.sort().map(async (file) => {
        const s = await stat(file).catch(() => undefined);
        return `${file}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`;
      }),
    );
    return stats.join("\n");
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}
