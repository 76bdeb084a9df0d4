// The embedded store: one SQLite file through Node's built-in node:sqlite, no server needed.
// DatabaseSync runs on the calling thread, so writes come in batches of one transaction each
// (a 1000-event batch takes a few milliseconds) and the file is in WAL mode so that readers in
// other processes (the CLI, a second `vexil serve`) never wait for a writer.
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
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
  UsageRecord,
} from "./store.ts";
import { mergeUsage, toFlagUsage, type UsageRow } from "./usage.ts";

export class SqliteEventStore implements EventStore {
  readonly description: string;
  readonly #db: DatabaseSync;
  readonly #upsertExposure: StatementSync;
  readonly #insertMetric: StatementSync;
  readonly #upsertUsage: StatementSync;

  /** Opens (creating the file and its folder when missing) and migrates. `:memory:` is allowed. */
  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.description = `sqlite ${file}`;
    this.#db = new DatabaseSync(file);
    this.#db.exec("PRAGMA busy_timeout = 5000");
    this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec("PRAGMA synchronous = NORMAL");
    this.#migrate();
    this.#upsertExposure = this.#db.prepare(sql.UPSERT_EXPOSURE);
    this.#insertMetric = this.#db.prepare(sql.INSERT_METRIC_EVENT);
    this.#upsertUsage = this.#db.prepare(sql.UPSERT_USAGE);
  }

  async write(records: readonly EventRecord[]): Promise<void> {
    const usage = mergeUsage(records.filter((r): r is UsageRecord => r.kind === "usage"));
    this.#transaction(() => {
      for (const r of records) {
        if (r.kind === "exposure") {
          this.#upsertExposure.run(r.namespace, r.experiment, r.targetingKey, r.variant, r.flag, r.at);
        } else if (r.kind === "metric") {
          this.#insertMetric.run(r.namespace, r.event, r.targetingKey, r.at, r.value);
        }
      }
      for (const r of usage) {
        this.#upsertUsage.run(r.namespace, r.flag, r.variant, r.reason, r.environment, r.hour, r.evaluations, r.lastAt);
      }
    });
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
    this.#transaction(() => {
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
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction(work: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** BEGIN IMMEDIATE takes the write lock, so two processes opening one file migrate once. */
  #migrate(): void {
    this.#transaction(() => {
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
