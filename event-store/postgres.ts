// The cluster store: PostgreSQL through `pg`, shared by every evaluator replica and the operator.
// Opening never touches the server: the schema is migrated on first use and again after a
// failed attempt, so an evaluator starts (and serves flags) while the database is down, and
// its buffered events land once the database is back.
import pg from "pg";
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
  ExposureRecord,
  FlagUsage,
  FlagVariantUsers,
  MetricRecord,
  UsageQuery,
  UsageRecord,
} from "./store.ts";
import { mergeUsage, toFlagUsage, type UsageRow } from "./usage.ts";

export interface PostgresStoreOptions {
  /** connections in the pool; default 4 */
  poolSize?: number;
  /** how long to wait for a connection; default 5 s */
  connectTimeoutMs?: number;
}

// unnest turns one array parameter per column into rows: one statement per batch, any size
const INSERT_EXPOSURES = sql.UPSERT_EXPOSURE.replace(
  /VALUES \(\?, \?, \?, \?, \?, \?\)/,
  "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])",
);
const INSERT_METRICS = sql.INSERT_METRIC_EVENT.replace(
  /VALUES \(\?, \?, \?, \?, \?\)/,
  "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::float8[])",
);
const UPSERT_USAGE = sql.UPSERT_USAGE.replace(
  /VALUES \(\?, \?, \?, \?, \?, \?, \?, \?\)/,
  "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[])",
);
// any constant key: every process migrating this database takes the same lock
const MIGRATION_LOCK = 7_406_110;

/** postgres://user:secret@host:5432/db → "postgres host:5432/db" (never the password). */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres ${parsed.host}${parsed.pathname}`;
  } catch {
    return "postgres";
  }
}

/** One row per user and experiment: within a batch too, the earliest exposure wins. */
function firstExposures(records: readonly ExposureRecord[]): ExposureRecord[] {
  const byKey = new Map<string, ExposureRecord>();
  for (const r of records) {
    const key = `${r.namespace}\u0000${r.experiment}\u0000${r.targetingKey}`;
    const seen = byKey.get(key);
    if (seen === undefined || r.at < seen.at) byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** One array per column, in the order the statement's `unnest($1, $2, …)` reads them. */
function columns<R, K extends keyof R>(rows: readonly R[], keys: readonly K[]): R[K][][] {
  return keys.map((key) => rows.map((row) => row[key]));
}

export class PostgresEventStore implements EventStore {
  readonly description: string;
  readonly #pool: pg.Pool;
  #migrated: Promise<void> | undefined;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.description = describePostgres(url);
    this.#pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    });
    // an idle connection dropped by the server (restart, outage) must not crash the process;
    // the next query reconnects or fails, and its caller reports it
    this.#pool.on("error", () => {});
  }

  async write(records: readonly EventRecord[]): Promise<void> {
    await this.#ready();
    const exposures = firstExposures(records.filter((r): r is ExposureRecord => r.kind === "exposure"));
    const metrics = records.filter((r): r is MetricRecord => r.kind === "metric");
    const usage = mergeUsage(records.filter((r): r is UsageRecord => r.kind === "usage"));
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      if (exposures.length > 0) {
        await client.query(
          INSERT_EXPOSURES,
          columns(exposures, ["namespace", "experiment", "targetingKey", "variant", "flag", "at"]),
        );
      }
      if (metrics.length > 0) {
        await client.query(INSERT_METRICS, columns(metrics, ["namespace", "event", "targetingKey", "at", "value"]));
      }
      if (usage.length > 0) {
        await client.query(
          UPSERT_USAGE,
          columns(usage, ["namespace", "flag", "variant", "reason", "environment", "hour", "evaluations", "lastAt"]),
        );
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async usage(query: UsageQuery): Promise<FlagUsage[]> {
    await this.#ready();
    const result =
      query.namespace === undefined
        ? await this.#pool.query<UsageRow>(sql.numbered(`${sql.USAGE} ${sql.USAGE_GROUP}`), [query.since])
        : await this.#pool.query<UsageRow>(sql.numbered(`${sql.USAGE} WHERE namespace = ? ${sql.USAGE_GROUP}`), [
            query.since,
            query.namespace,
          ]);
    return toFlagUsage(result.rows);
  }

  async aggregate(query: ExperimentQuery): Promise<ExperimentAggregates> {
    await this.#ready();
    const { namespace, experiment } = query;
    const exposures = await this.#pool.query<VariantRow>(sql.numbered(sql.EXPOSURES_BY_VARIANT), [
      namespace,
      experiment,
    ]);
    const metricRows = new Map<string, MetricRow[]>();
    const metricSql = sql.numbered(sql.METRIC_BY_VARIANT);
    await Promise.all(
      query.metrics.map(async (metric) => {
        const result = await this.#pool.query<MetricRow>(metricSql, [experiment, namespace, metric.event]);
        metricRows.set(metric.name, result.rows);
      }),
    );
    return toAggregates(query, exposures.rows, metricRows);
  }

  async flagVariantUsers(namespace: string, flag: string): Promise<FlagVariantUsers> {
    await this.#ready();
    const result = await this.#pool.query<VariantRow & { experiment: string }>(sql.numbered(sql.FLAG_VARIANT_USERS), [
      namespace,
      flag,
    ]);
    return toFlagVariantUsers(result.rows);
  }

  async putExperiments(namespace: string, definitions: readonly ExperimentDefinition[]): Promise<void> {
    await this.#ready();
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(sql.numbered(sql.DELETE_EXPERIMENTS), [namespace]);
      const insert = sql.numbered(sql.INSERT_EXPERIMENT);
      for (const d of definitions) {
        await client.query(insert, [namespace, d.name, d.phase, JSON.stringify(d.spec), d.updatedAt]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async experiments(namespace?: string): Promise<ExperimentDefinition[]> {
    await this.#ready();
    const result =
      namespace === undefined
        ? await this.#pool.query<ExperimentRow>(sql.SELECT_EXPERIMENTS)
        : await this.#pool.query<ExperimentRow>(`${sql.SELECT_EXPERIMENTS} WHERE namespace = $1`, [namespace]);
    return toDefinitions(result.rows);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /** Migrates once; a failure (database down) is retried by the next call. */
  #ready(): Promise<void> {
    this.#migrated ??= this.#migrate().catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      // replicas starting together: one migrates, the others wait and then find nothing to do
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(CREATE_MIGRATIONS_TABLE);
      const applied = await client.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`);
      for (const migration of pendingMigrations(new Set(applied.rows.map((r) => Number(r.version))))) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
