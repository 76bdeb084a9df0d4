// The SQLite writer thread's entry point. node:sqlite is synchronous: a batch of a thousand
// events written on the event loop holds every request for its duration. This thread has its
// own connection to the same file (WAL mode: the serving thread keeps reading meanwhile) and
// writes each batch it is sent, answering with its id and the error, if any.
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { batchWriter, configure, whileLocked } from "./sqlite-batch.ts";
import type { EventRecord } from "./store.ts";

const db = new DatabaseSync((workerData as { file: string }).file);
whileLocked(() => configure(db));
const write = batchWriter(db);

parentPort?.on("message", (message: { id: number; records: EventRecord[] } | "close") => {
  if (message === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    write(message.records);
    parentPort?.postMessage({ id: message.id });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
