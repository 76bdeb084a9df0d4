// Sends batches to the SQLite writer thread and resolves each when it is written (or rejects
// with the store's error, so the event writer's retry and backoff work as with any store).
// The thread starts on the first batch; a thread that dies fails its batches and is replaced
// on the next one.
import { Worker } from "node:worker_threads";
import type { EventRecord } from "./store.ts";

/** The thread's source next to this file: .ts when run from source, .js when built. */
const THREAD_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./sqlite-writer-thread.ts" : "./sqlite-writer-thread.js",
  import.meta.url,
);

export class SqliteWriterThread {
  readonly #file: string;
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(file: string) {
    this.#file = file;
  }

  write(records: readonly EventRecord[]): Promise<void> {
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    // referenced while a batch is in flight (a process flushing on exit waits for it), not while idle
    if (this.#pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, records });
    });
  }

  /** Waits for the batches sent so far, then closes the thread's connection. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    await Promise.allSettled([...this.#pending.keys()].map((id) => this.#settled(id)));
    this.#worker = undefined;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.ref(); // the thread is unref'd while idle; a process with nothing else to do would exit mid-close
    worker.postMessage("close");
    await exited;
  }

  #settled(id: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = this.#pending.get(id);
      if (entry === undefined) return resolve();
      this.#pending.set(id, {
        resolve: () => (entry.resolve(), resolve()),
        reject: (error) => (entry.reject(error), resolve()),
      });
    });
  }

  #start(): Worker {
    // a batch is at most a few MiB; without a limit of its own the thread's heap could grow as
    // large as the main thread's before V8 collects its garbage
    const resourceLimits = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
    const worker = new Worker(THREAD_URL, { workerData: { file: this.#file }, resourceLimits });
    worker.unref(); // an idle writer thread must not keep the process alive
    worker.on("message", (reply: { id: number; error?: string }) => {
      const entry = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0 && this.#worker === worker) worker.unref();
      if (reply.error === undefined) entry?.resolve();
      else entry?.reject(new Error(reply.error));
    });
    const fail = (reason: string) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const { reject } of this.#pending.values()) reject(new Error(reason));
      this.#pending.clear();
    };
    worker.on("error", (error: Error) => fail(`the SQLite writer thread failed: ${error.message}`));
    worker.on("exit", (code) => fail(`the SQLite writer thread stopped (exit code ${code})`));
    this.#worker = worker;
    return worker;
  }
}
