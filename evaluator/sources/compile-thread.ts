// Runs a folder's reloads on a worker thread, so reading, validating and compiling tens of
// thousands of flags never holds the event loop that answers requests (an edit among 50 000
// flags used to stall every request for seconds). Results come back one at a time, in order;
// the snapshot is rebuilt on this side a fragment per event-loop turn. A thread that dies is
// replaced at the next reload (its per-file memory starts afresh; the served snapshot stays).
import { Worker } from "node:worker_threads";
import type { FolderCompileResult, FolderTarget } from "./folder-compiler.ts";
import { rememberSerialized } from "./serialized-snapshots.ts";
import { unpackSnapshot, type PackedSnapshot } from "./snapshot-transfer.ts";

type Reply =
  | { id: number; result: FolderCompileResult }
  | { id: number; result: Omit<FolderCompileResult & { ok: true }, "snapshot">; packed: PackedSnapshot };

/** The worker's source next to this file: .ts when run from source, .js when built. */
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./folder-compile-worker.ts" : "./folder-compile-worker.js",
  import.meta.url,
);

export class CompileThread {
  readonly #target: FolderTarget;
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  constructor(target: FolderTarget) {
    this.#target = target;
  }

  /** One reload of the folder; never rejects (a dead thread is an "error" result). */
  async run(): Promise<FolderCompileResult> {
    let reply: Reply;
    try {
      reply = await this.#ask();
    } catch (error) {
      return { ok: false, outcome: "error", problems: 1, detail: (error as Error).message, warnings: [] };
    }
    if (!("packed" in reply)) return reply.result;
    const { snapshot, body } = await unpackSnapshot(reply.packed);
    rememberSerialized(snapshot, body);
    return { ...reply.result, snapshot };
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #ask(): Promise<Reply> {
    const worker = this.#worker ?? this.#spawn();
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id });
    });
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: this.#target });
    worker.unref(); // a source nobody stopped must not keep the process alive
    worker.on("message", (reply: Reply) => {
      this.#pending.get(reply.id)?.resolve(reply);
      this.#pending.delete(reply.id);
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    };
    worker.on("error", (error: Error) => fail(new Error(`the compile thread failed: ${error.message}`)));
    worker.on("exit", (code) => fail(new Error(`the compile thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
