// Where a folder reload runs. A small folder reloads on the event loop (a few milliseconds; no
// thread to start). A big one reloads on a short-lived worker thread, so reading, validating and
// compiling tens of thousands of flags never holds the event loop that answers requests (an
// edit among 50 000 flags used to stall every request for seconds); the thread ends after each
// reload, so its memory is returned rather than held between edits. The snapshot comes back in
// fragments parsed one per event-loop turn. The folder's memory (last good texts) lives here.
import { Worker } from "node:worker_threads";
import { folderFiles } from "./folder-files.ts";
import { compileFolder, type FolderCompile, type FolderCompileResult, type FolderTarget } from "./folder-compiler.ts";
import { emptyMemory, memorySize, type FolderMemory } from "./last-good-files.ts";
import { rememberSerialized } from "./serialized-snapshots.ts";
import { unpackSnapshot, type PackedSnapshot } from "./snapshot-transfer.ts";

/** Folders with more manifest text than this (about 600 ordinary flags) reload on a thread. */
export const RELOAD_ON_THREAD_FROM_CHARS = 256 * 1024;

type ThreadReply =
  | { result: FolderCompileResult; memory: FolderMemory }
  | {
      result: Omit<FolderCompileResult & { ok: true }, "snapshot">;
      memory: FolderMemory;
      packed: PackedSnapshot;
    };

/** The worker's source next to this file: .ts when run from source, .js when built. */
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./folder-compile-worker.ts" : "./folder-compile-worker.js",
  import.meta.url,
);

export class FolderReloads {
  readonly #target: FolderTarget;
  #memory: FolderMemory = emptyMemory();
  #worker: Worker | undefined;

  constructor(target: FolderTarget) {
    this.#target = target;
  }

  /** One reload of the folder; never rejects (a thread that dies is an "error" result). */
  async run(): Promise<FolderCompileResult> {
    const known = memorySize(this.#memory);
    const size = known > 0 ? known : await folderSize(this.#target.dir);
    const { result, memory } =
      size > RELOAD_ON_THREAD_FROM_CHARS ? await this.#onThread() : await compileFolder(this.#target, this.#memory);
    this.#memory = memory;
    return result;
  }

  /** Stops a reload in progress (its result is an error). */
  async close(): Promise<void> {
    await this.#worker?.terminate();
  }

  async #onThread(): Promise<FolderCompile> {
    let reply: ThreadReply;
    try {
      reply = await this.#ask();
    } catch (error) {
      const result = { ok: false as const, outcome: "error" as const, problems: 1, warnings: [] };
      return { result: { ...result, detail: (error as Error).message }, memory: this.#memory };
    }
    if (!("packed" in reply)) return reply;
    const { snapshot, body } = await unpackSnapshot(reply.packed);
    rememberSerialized(snapshot, body);
    return { result: { ...reply.result, snapshot }, memory: reply.memory };
  }

  #ask(): Promise<ThreadReply> {
    return new Promise<ThreadReply>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { workerData: { target: this.#target, memory: this.#memory } });
      this.#worker = worker;
      worker.once("message", (reply: ThreadReply) => resolve(reply));
      worker.once("error", (error: Error) => reject(new Error(`the compile thread failed: ${error.message}`)));
      worker.once("exit", (code) => {
        if (this.#worker === worker) this.#worker = undefined;
        reject(new Error(`the compile thread stopped before answering (exit code ${code})`));
      });
    });
  }
}

/** Bytes of the folder's files: before the first load, how big the folder is. */
async function folderSize(dir: string): Promise<number> {
  const files = await folderFiles(dir).catch(() => []);
  return files.reduce((size, { stats }) => size + (stats?.size ?? 0), 0);
}
