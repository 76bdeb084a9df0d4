// Writing one batch of records into an open SQLite database, in one transaction. Used on the
// calling thread for an in-memory database, and by the writer thread (./sqlite-writer-thread.ts)
// for a file, which is every `vexil serve`.
import type { DatabaseSync } from "node:sqlite";
import * as sql from "./sql.ts";
import type { EventRecord, UsageRecord } from "./store.ts";
import { mergeUsage } from "./usage.ts";

/** Runs `work` in one transaction; BEGIN IMMEDIATE takes the write lock up front. */
export function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    work();
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** A function writing a batch of records into `db` (its statements prepared once). */
export function batchWriter(db: DatabaseSync): (records: readonly EventRecord[]) => void {
  const upsertExposure = db.prepare(sql.UPSERT_EXPOSURE);
  const insertMetric = db.prepare(sql.INSERT_METRIC_EVENT);
  const upsertUsage = db.prepare(sql.UPSERT_USAGE);
  return (records) => {
    const usage = mergeUsage(records.filter((r): r is UsageRecord => r.kind === "usage"));
    inTransaction(db, () => {
      for (const r of records) {
        if (r.kind === "exposure")
          upsertExposure.run(r.namespace, r.experiment, r.targetingKey, r.variant, r.flag, r.at);
        else if (r.kind === "metric") insertMetric.run(r.namespace, r.event, r.targetingKey, r.at, r.value);
      }
      for (const r of usage)
        upsertUsage.run(r.namespace, r.flag, r.variant, r.reason, r.environment, r.hour, r.evaluations, r.lastAt);
    });
  };
}

/** The connection settings every Vexil SQLite connection uses. */
export function configure(db: DatabaseSync): void {
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
}

/** Runs `work`, again after a pause while SQLite says the database is locked, for up to 10 s. */
export function whileLocked(work: () => void, timeoutMs = 10_000): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      work();
      return;
    } catch (error) {
      if (!/database is locked/i.test((error as Error).message) || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 50); // a synchronous 50 ms pause: this runs once, at start
    }
  }
}
