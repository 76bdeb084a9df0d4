// Analysis of 1 million users × 3 variants: the store's SQL aggregation (what the operator and
// /v1/experiments run each interval), on SQLite and on a real PostgreSQL. Rows are generated
// inside each database (a recursive CTE, generate_series) so the setup takes seconds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { PostgresEventStore } from "../../event-store/postgres.ts";
import { SqliteEventStore } from "../../event-store/sqlite.ts";
import type { EventStore, ExperimentQuery } from "../../event-store/store.ts";
import { startPostgres } from "../../test/postgres/server.ts";

export interface AggregateFigure {
  store: string;
  users: number;
  conversions: number;
  values: number;
  seconds: number;
}

const QUERY: ExperimentQuery = {
  namespace: "bench",
  experiment: "big",
  variants: ["a", "b", "c"],
  metrics: [
    { name: "purchase", event: "purchase", type: "conversion" },
    { name: "revenue", event: "revenue", type: "numeric" },
  ],
};

// every user exposed (variant by id mod 3); every 10th converts, every 20th spends twice
const SQLITE_FILL = (users: number) => [
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${users})
   INSERT INTO vexil_exposures SELECT 'bench', 'big', 'u' || i, char(97 + i % 3), 'flag', 1000 FROM n`,
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 10 FROM n WHERE i + 10 < ${users})
   INSERT INTO vexil_metric_events SELECT 'bench', 'purchase', 'u' || i, 2000, 1 FROM n`,
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 20 FROM n WHERE i + 20 < ${users})
   INSERT INTO vexil_metric_events SELECT 'bench', 'revenue', 'u' || i, t, (i % 50) + 0.5 FROM n, (SELECT 2000 AS t UNION ALL SELECT 3000)`,
];
const PG_FILL = (users: number) => [
  `INSERT INTO vexil_exposures SELECT 'bench', 'big', 'u' || i, chr(97 + i % 3), 'flag', 1000 FROM generate_series(0, ${users - 1}) i`,
  `INSERT INTO vexil_metric_events SELECT 'bench', 'purchase', 'u' || i, 2000, 1 FROM generate_series(0, ${users - 1}, 10) i`,
  `INSERT INTO vexil_metric_events SELECT 'bench', 'revenue', 'u' || i, t, (i % 50) + 0.5 FROM generate_series(0, ${users - 1}, 20) i, (VALUES (2000), (3000)) v(t)`,
  `ANALYZE`,
];

async function time(store: EventStore, name: string, users: number): Promise<AggregateFigure> {
  await store.aggregate(QUERY); // warm: page cache, plans
  const started = performance.now();
  const result = await store.aggregate(QUERY);
  const seconds = (performance.now() - started) / 1000;
  const exposed = Object.values(result.exposuresByVariant).reduce((a, b) => a + b, 0);
  if (exposed !== users) throw new Error(`${name}: ${exposed} exposed users, expected ${users}`);
  const conversions = result.metrics.purchase!.reduce((n, r) => n + r.conversions, 0);
  const values = result.metrics.revenue!.reduce((n, r) => n + r.conversions, 0);
  if (conversions !== Math.ceil(users / 10) || values !== Math.ceil(users / 20)) {
    throw new Error(`${name}: ${conversions} converted and ${values} valued users are not what was generated`);
  }
  return { store: name, users, conversions, values, seconds };
}

export async function sqliteAggregate(users: number): Promise<AggregateFigure> {
  const dir = mkdtempSync(path.join(tmpdir(), "vexil-bench-sqlite-"));
  try {
    const file = path.join(dir, "events.db");
    new SqliteEventStore(file).close(); // migrate
    const db = new DatabaseSync(file);
    for (const statement of SQLITE_FILL(users)) db.exec(statement);
    db.exec("ANALYZE");
    db.close();
    const store = new SqliteEventStore(file);
    try {
      return await time(store, "SQLite (node:sqlite)", users);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function postgresAggregate(users: number): Promise<AggregateFigure> {
  const server = await startPostgres("bench");
  try {
    const store = new PostgresEventStore(server.url);
    await store.experiments(); // migrate
    const client = new pg.Client(server.url);
    await client.connect();
    for (const statement of PG_FILL(users)) await client.query(statement);
    await client.end();
    try {
      return await time(store, "PostgreSQL 18 (pg)", users);
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}
