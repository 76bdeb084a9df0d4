// The store contract, run against both stores: SQLite (a temp file) and a real PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PostgresEventStore } from "../../../event-store/postgres.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import type { EventRecord, EventStore, ExperimentQuery } from "../../../event-store/store.ts";
import { MIGRATIONS } from "../../../event-store/migrations.ts";
import { startPostgres, type TestPostgres } from "../../postgres/server.ts";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const exposure = (experiment: string, user: string, variant: string, at = T0, namespace = "shop"): EventRecord => ({
  kind: "exposure",
  namespace,
  experiment,
  flag: "checkout",
  variant,
  targetingKey: user,
  at,
});
const metric = (event: string, user: string, value: number, at = T0 + 1000, namespace = "shop"): EventRecord => ({
  kind: "metric",
  namespace,
  event,
  targetingKey: user,
  value,
  at,
});
const query: ExperimentQuery = {
  namespace: "shop",
  experiment: "exp",
  variants: ["control", "treatment", "unseen"],
  metrics: [
    { name: "purchase", event: "purchase", type: "conversion" },
    { name: "revenue", event: "revenue", type: "numeric" },
  ],
};

let postgres: TestPostgres;
let dir: string;
beforeAll(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(path.join(tmpdir(), "vexil-store-"));
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => EventStore][] = [
  ["sqlite", () => new SqliteEventStore(path.join(dir, `${Math.random().toString(36).slice(2)}.db`))],
  ["postgres", () => new PostgresEventStore(postgres.url)],
];

describe.each(stores)("%s event store", (kind, open) => {
  it("counts unique users, and the first exposure decides a user's variant even when it arrives late", async () => {
    const store = open();
    const experiment = `exp-${kind}-first`;
    await store.write([
      exposure(experiment, "u1", "treatment", T0 + 500),
      exposure(experiment, "u1", "treatment", T0 + 600),
      exposure(experiment, "u2", "control"),
      exposure(experiment, "u2", "control"),
    ]);
    // an earlier exposure of u1 to control, written later (another replica's batch)
    await store.write([exposure(experiment, "u1", "control", T0 + 100), exposure(experiment, "u3", "treatment")]);
    const result = await store.aggregate({ ...query, experiment });
    expect(result.exposuresByVariant).toEqual({ control: 2, treatment: 1, unseen: 0 });
    await store.close();
  });

  it("counts conversions and values only for exposed users, from their first exposure on, each replay once", async () => {
    const store = open();
    const experiment = `exp-${kind}-metrics`;
    const events: EventRecord[] = [
      exposure(experiment, "a", "control"),
      exposure(experiment, "b", "control"),
      exposure(experiment, "c", "treatment"),
      exposure(experiment, "d", "treatment", T0 + 10_000),
      metric("purchase", "a", 1),
      metric("purchase", "a", 1, T0 + 2000), // a second purchase: still one converted user
      metric("purchase", "c", 1),
      metric("purchase", "d", 1, T0 + 5000), // before d's exposure: not caused by the variant
      metric("purchase", "stranger", 1), // never exposed
      metric("revenue", "a", 10),
      metric("revenue", "a", 5, T0 + 3000),
      metric("revenue", "c", 2.5),
      metric("revenue", "d", 4, T0 + 20_000),
    ];
    await store.write(events);
    await store.write(events); // a replay after a lost acknowledgement changes nothing
    const result = await store.aggregate({ ...query, experiment });
    expect(result.metrics.purchase).toEqual([
      { variant: "control", exposures: 2, conversions: 1, sum: 1, sumOfSquares: 1 },
      { variant: "treatment", exposures: 2, conversions: 1, sum: 1, sumOfSquares: 1 },
      { variant: "unseen", exposures: 0, conversions: 0, sum: 0, sumOfSquares: 0 },
    ]);
    expect(result.metrics.revenue).toEqual([
      { variant: "control", exposures: 2, conversions: 1, sum: 15, sumOfSquares: 225 },
      { variant: "treatment", exposures: 2, conversions: 2, sum: 6.5, sumOfSquares: 2.5 * 2.5 + 16 },
      { variant: "unseen", exposures: 0, conversions: 0, sum: 0, sumOfSquares: 0 },
    ]);
    await store.close();
  });

  it("keeps namespaces apart and reports the unique users per variant of a flag", async () => {
    const store = open();
    const experiment = `exp-${kind}-ns`;
    await store.write([
      exposure(experiment, "u1", "control"),
      exposure(experiment, "u2", "treatment"),
      exposure(experiment, "u1", "treatment", T0, "other"),
    ]);
    const shop = await store.aggregate({ ...query, experiment, metrics: [] });
    expect(shop.exposuresByVariant).toEqual({ control: 1, treatment: 1, unseen: 0 });
    const users = await store.flagVariantUsers("other", "checkout");
    expect(users[experiment]).toEqual({ treatment: 1 });
    await store.close();
  });

  it("aggregates a guarded rollout's sides per step: a user outside at 5 % and inside at 25 % counts on each step's side", async () => {
    const store = open();
    const step = (n: number) => `rollout/checkout/production/${kind}fp/${n}`;
    const sides = {
      ...query,
      variants: ["outside", "inside"],
      metrics: [{ name: "errors", event: "checkout_error", type: "conversion" as const }],
    };
    await store.write([
      exposure(step(0), "u1", "outside"),
      exposure(step(0), "u2", "inside"),
      exposure(step(1), "u1", "inside", T0 + 5000),
      exposure(step(1), "u2", "inside", T0 + 5000),
      metric("checkout_error", "u1", 1, T0 + 1000), // while outside
      metric("checkout_error", "u1", 1, T0 + 6000), // once inside
    ]);
    const first = await store.aggregate({ ...sides, experiment: step(0) });
    expect(first.exposuresByVariant).toEqual({ outside: 1, inside: 1 });
    expect(first.metrics.errors?.find((r) => r.variant === "outside")).toMatchObject({ exposures: 1, conversions: 1 });
    const second = await store.aggregate({ ...sides, experiment: step(1) });
    expect(second.exposuresByVariant).toEqual({ outside: 0, inside: 2 });
    // only the event after u1's step-1 exposure counts for step 1
    expect(second.metrics.errors?.find((r) => r.variant === "inside")).toMatchObject({
      exposures: 2,
      conversions: 1,
      sum: 1,
    });
    await store.close();
  });

  it("adds hourly usage rollups across writes and replicas, counts only recent hours, keeps the last evaluation", async () => {
    const store = open();
    const namespace = `usage-${kind}`;
    const HOUR = 3_600_000;
    const usage = (flag: string, variant: string, hour: number, evaluations: number, lastAt: number) => ({
      kind: "usage" as const,
      namespace,
      flag,
      variant,
      reason: variant === "" ? "ERROR" : "TARGETING_MATCH",
      environment: "production",
      hour,
      evaluations,
      lastAt,
    });
    // two rows of one key in one batch (two flushes buffered together), then another replica's write
    await store.write([usage("checkout", "on", T0, 3, T0 + 10), usage("checkout", "on", T0, 2, T0 + 50)]);
    await store.write([usage("checkout", "off", T0, 4, T0 + 20), usage("checkout", "on", T0, 1, T0 + 5)]);
    await store.write([usage("checkout", "on", T0 - 48 * HOUR, 100, T0 - 47 * HOUR), usage("banner", "", T0, 1, T0)]);
    const [banner, checkout] = await store.usage({ namespace, since: T0 - 24 * HOUR });
    expect(checkout).toEqual({
      namespace,
      flag: "checkout",
      evaluations: 10,
      byVariant: { on: 6, off: 4 },
      byReason: { TARGETING_MATCH: 10 },
      byEnvironment: { production: 10 },
      lastEvaluatedAt: T0 + 50,
      firstEvaluatedAt: T0 - 48 * HOUR,
    });
    expect(banner).toMatchObject({ flag: "banner", evaluations: 1, byVariant: { "": 1 }, byReason: { ERROR: 1 } });
    const all = await store.usage({ namespace, since: 0 });
    expect(all.find((u) => u.flag === "checkout")?.evaluations).toBe(110);
    expect(await store.usage({ namespace: `${namespace}-none`, since: 0 })).toEqual([]);
    await store.close();
  });

  it("replaces a namespace's experiment definitions and reads them back", async () => {
    const store = open();
    const spec = {
      flag: "checkout",
      environment: "production",
      variants: [
        { variant: "control", weight: 50 },
        { variant: "treatment", weight: 50 },
      ],
      control: "control",
      traffic: 100,
      metrics: [{ name: "purchase", event: "purchase", type: "conversion" as const, goal: "increase" as const }],
      minimumSamples: 150,
    };
    const ns = `defs-${kind}`;
    await store.putExperiments(ns, [
      { namespace: ns, name: "a", spec, phase: "Running", updatedAt: T0 },
      { namespace: ns, name: "b", spec, phase: "Concluded", updatedAt: T0 },
    ]);
    await store.putExperiments(ns, [{ namespace: ns, name: "b", spec, phase: "Running", updatedAt: T0 + 1 }]);
    expect(await store.experiments(ns)).toEqual([
      { namespace: ns, name: "b", spec, phase: "Running", updatedAt: T0 + 1 },
    ]);
    await store.close();
  });
});

describe("migrations", () => {
  it("apply once per database, recorded in vexil_schema_migrations, even when stores open it together", async () => {
    const stores = [1, 2, 3].map(() => new PostgresEventStore(postgres.url));
    await Promise.all(stores.map((s) => s.experiments()));
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client(postgres.url);
    await client.connect();
    const { rows } = await client.query("SELECT version FROM vexil_schema_migrations ORDER BY version");
    await client.end();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const file = path.join(dir, "twice.db");
    new SqliteEventStore(file).close();
    const again = new SqliteEventStore(file);
    expect(await again.experiments()).toEqual([]);
    await again.close();
  });

  it("a PostgreSQL store opens while the server is unreachable and works once it answers", async () => {
    const store = new PostgresEventStore("postgres://postgres:x@127.0.0.1:1/none", { connectTimeoutMs: 500 });
    await expect(store.write([exposure("e", "u", "control")])).rejects.toThrow();
    await store.close();
  });
});
