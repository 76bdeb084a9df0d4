// The embedded store: one SQLite file through Node's built-in node:sqlite, no server needed.
// DatabaseSync runs on the calling thread, so event batches are written by a thread of their
// own (./sqlite-writer.ts), one transaction each, and the file is in WAL mode so that readers
// (this thread's queries, the CLI, a second `vexil serve`) never wait for the writer.
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { ExperimentAggregates } from "../core/statistics/aggregates.ts";
import { CREATE_MIGRATIONS_TABLE, MIGRATIONS_TABLE, pendingMigrations } from "./migrations.ts";
import {
  toAggregates,
  toDefinitions,
  toFlagVariantUsers,
  type ExperimentRow,
  type MetricRow,
  type VariantRow,
} from "./rows.ts";
import * as sql from "./sql.ts";
import type {
  EventRecord,
  EventStore,
  ExperimentDefinition,
  ExperimentQuery,
  FlagUsage,
  FlagVariantUsers,
  UsageQuery,
} from "./store.ts";
import { toFlagUsage, type UsageRow } from "./usage.ts";
import { batchWriter, configure, inTransaction, whileLocked } from "./sqlite-batch.ts";
import { SqliteWriterThread } from "./sqlite-writer.ts";

export class SqliteEventStore implements EventStore {
  readonly description: string;
  readonly #db: DatabaseSync;
  /** writes go to a thread of their own, except for an in-memory database (one connection only) */
  readonly #thread: SqliteWriterThread | undefined;
  readonly #writeHere: (records: readonly EventRecord[]) => void;

  /** Opens (creating the file and its folder when missing) and migrates. `:memory:` is allowed. */
  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.description = `sqlite ${file}`;
    this.#db = new DatabaseSync(file);
    // processes starting together on a new file race to switch it to WAL and to migrate; SQLite
    // answers the loser "database is locked" without waiting, so the start is retried briefly
    whileLocked(() => {
      configure(this.#db);
      this.#migrate();
    });
    this.#writeHere = batchWriter(this.#db);
    this.#thread = file === ":memory:" ? undefined : new SqliteWriterThread(path.resolve(file));
  }

  async write(records: readonly EventRecord[]): Promise<void> {
    if (this.#thread !== undefined) return this.#thread.write(records);
    this.#writeHere(records);
  }

  async aggregate(query: ExperimentQuery): Promise<ExperimentAggregates> {
    const { namespace, experiment } = query;
    const exposures = this.#db.prepare(sql.EXPOSURES_BY_VARIANT).all(namespace, experiment) as unknown as VariantRow[];
    const metricStatement = this.#db.prepare(sql.METRIC_BY_VARIANT);
    const metricRows = new Map<string, MetricRow[]>();
    for (const metric of query.metrics) {
      metricRows.set(metric.name, metricStatement.all(experiment, namespace, metric.event) as unknown as MetricRow[]);
    }
    return toAggregates(query, exposures, metricRows);
  }

  async flagVariantUsers(namespace: string, flag: string): Promise<FlagVariantUsers> {
    const rows = this.#db.prepare(sql.FLAG_VARIANT_USERS).all(namespace, flag);
    return toFlagVariantUsers(rows as unknown as (VariantRow & { experiment: string })[]);
  }

  async usage(query: UsageQuery): Promise<FlagUsage[]> {
    const rows =
      query.namespace === undefined
        ? this.#db.prepare(`${sql.USAGE} ${sql.USAGE_GROUP}`).all(query.since)
        : this.#db.prepare(`${sql.USAGE} WHERE namespace = ? ${sql.USAGE_GROUP}`).all(query.since, query.namespace);
    return toFlagUsage(rows as unknown as UsageRow[]);
  }

  async putExperiments(namespace: string, definitions: readonly ExperimentDefinition[]): Promise<void> {
    const insert = this.#db.prepare(sql.INSERT_EXPERIMENT);
    inTransaction(this.#db, () => {
      this.#db.prepare(sql.DELETE_EXPERIMENTS).run(namespace);
      for (const d of definitions) insert.run(namespace, d.name, d.phase, JSON.stringify(d.spec), d.updatedAt);
    });
  }

  async experiments(namespace?: string): Promise<ExperimentDefinition[]> {
    const rows =
      namespace === undefined
        ? this.#db.prepare(sql.SELECT_EXPERIMENTS).all()
        : this.#db.prepare(`${sql.SELECT_EXPERIMENTS} WHERE namespace = ?`).all(namespace);
    return toDefinitions(rows as unknown as ExperimentRow[]);
  }

  async close(): Promise<void> {
    await this.#thread?.close();
    if (this.#db.isOpen) this.#db.close();
  }

  /** BEGIN IMMEDIATE takes the write lock, so two processes opening one file migrate once. */
  #migrate(): void {
    inTransaction(this.#db, () => {
      this.#db.exec(CREATE_MIGRATIONS_TABLE);
      const rows = this.#db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).all() as { version: number }[];
      const insert = this.#db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
      for (const migration of pendingMigrations(new Set(rows.map((r) => Number(r.version))))) {
        for (const statement of migration.statements) this.#db.exec(statement);
        insert.run(migration.version, migration.name, Date.now());
      }
    });
  }
}
