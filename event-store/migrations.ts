// Versioned schema changes, shared by the SQLite and PostgreSQL stores (both speak this SQL).
// Append only: a released migration is never edited; the next issue's usage rollups, for
// example, are version 2. Each store records applied versions in vexil_schema_migrations.

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS_TABLE = "vexil_schema_migrations";

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "exposures, metric events and experiment definitions",
    statements: [
      // one row per user and experiment: the first exposure decides the variant
      `CREATE TABLE vexil_exposures (
        namespace TEXT NOT NULL,
        experiment TEXT NOT NULL,
        targeting_key TEXT NOT NULL,
        variant TEXT NOT NULL,
        flag TEXT NOT NULL,
        first_at BIGINT NOT NULL,
        PRIMARY KEY (namespace, experiment, targeting_key)
      )`,
      // counting exposures per variant reads this index alone (no table access)
      `CREATE INDEX vexil_exposures_variant ON vexil_exposures (namespace, experiment, variant)`,
      // the key makes a replayed event (same user, time and value) land once
      `CREATE TABLE vexil_metric_events (
        namespace TEXT NOT NULL,
        event TEXT NOT NULL,
        targeting_key TEXT NOT NULL,
        at BIGINT NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (namespace, event, targeting_key, at, value)
      )`,
      `CREATE TABLE vexil_experiments (
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        spec TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (namespace, name)
      )`,
    ],
  },
  {
    version: 2,
    name: "hourly flag usage rollups",
    statements: [
      // one row per flag, variant, reason, environment and hour: evaluators add to its count
      `CREATE TABLE vexil_flag_usage (
        namespace TEXT NOT NULL,
        flag TEXT NOT NULL,
        variant TEXT NOT NULL,
        reason TEXT NOT NULL,
        environment TEXT NOT NULL,
        hour BIGINT NOT NULL,
        evaluations BIGINT NOT NULL,
        last_at BIGINT NOT NULL,
        PRIMARY KEY (namespace, flag, variant, reason, environment, hour)
      )`,
    ],
  },
];

/** The migrations not yet applied, in order. */
export function pendingMigrations(applied: ReadonlySet<number>): Migration[] {
  return MIGRATIONS.filter((m) => !applied.has(m.version));
}
