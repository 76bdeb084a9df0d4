// The batching writer: bounded by count and bytes, never throws, and events buffered while a
// real PostgreSQL is down land once it is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresEventStore } from "../../../event-store/postgres.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import type { EventRecord } from "../../../event-store/store.ts";
import { EventWriter, recordBytes, type DropReason } from "../../../event-store/writer.ts";
import { startPostgres, type TestPostgres } from "../../postgres/server.ts";

const exposure = (user: string, experiment = "exp"): EventRecord => ({
  kind: "exposure",
  namespace: "default",
  experiment,
  flag: "checkout",
  variant: user.endsWith("0") ? "control" : "treatment",
  targetingKey: user,
  at: Date.now(),
});
const query = (experiment: string) => ({
  namespace: "default",
  experiment,
  variants: ["control", "treatment"],
  metrics: [],
});
const total = (byVariant: Record<string, number>) => Object.values(byVariant).reduce((a, b) => a + b, 0);

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.stop());

describe("event writer", () => {
  it("drops what exceeds the count bound, counting each drop by reason and logging once per interval", async () => {
    const drops: [DropReason, number][] = [];
    const warnings: unknown[] = [];
    const store = new SqliteEventStore(":memory:");
    const writer = new EventWriter(store, {
      maxEvents: 10,
      flushIntervalMs: 60_000,
      onDropped: (reason, n) => drops.push([reason, n]),
      log: { warn: (fields) => warnings.push(fields), info: () => {} },
    });
    const accepted = Array.from({ length: 25 }, (_, i) => writer.add(exposure(`u${i}`)));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(drops).toEqual(Array.from({ length: 15 }, () => ["buffer_full", 1]));
    expect(warnings).toHaveLength(1);
    expect(await writer.flush()).toBe(true);
    expect(total((await store.aggregate(query("exp"))).exposuresByVariant)).toBe(10);
    await writer.close();
  });

  it("drops what exceeds the byte bound: long targeting keys fill it sooner than the count", async () => {
    const store = new SqliteEventStore(":memory:");
    const big = (i: number) => exposure(`${"k".repeat(1000)}-${i}`);
    const writer = new EventWriter(store, {
      maxEvents: 1000,
      maxBytes: recordBytes(big(11)) * 5,
      flushIntervalMs: 60_000,
    });
    const accepted = Array.from({ length: 50 }, (_, i) => writer.add(big(10 + i))).filter(Boolean).length;
    expect(accepted).toBe(5);
    expect(writer.stats()).toMatchObject({ buffered: 5, dropped: 45 });
    await writer.close();
  });

  it("keeps events buffered while PostgreSQL is down and writes them after it recovers", async () => {
    const store = new PostgresEventStore(postgres.url, { connectTimeoutMs: 1000 });
    const writer = new EventWriter(store, { flushIntervalMs: 20, minRetryMs: 50, maxRetryMs: 200 });
    for (let i = 0; i < 100; i++) writer.add(exposure(`before-${i}`, "outage"));
    expect(await writer.flush()).toBe(true);
    await postgres.pause();
    for (let i = 0; i < 300; i++) expect(writer.add(exposure(`during-${i}`, "outage"))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(writer.stats().buffered).toBe(300);
    expect(writer.stats().failedWrites).toBeGreaterThan(0);
    await postgres.resume();
    const deadline = Date.now() + 20_000;
    while (writer.stats().buffered > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(total((await store.aggregate(query("outage"))).exposuresByVariant)).toBe(400);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 400, dropped: 0 });
    await writer.close();
    await store.close();
  });

  it("close() flushes what is buffered, and counts as shutdown drops what the store never took", async () => {
    const good = new SqliteEventStore(":memory:");
    const writer = new EventWriter(good, { flushIntervalMs: 60_000 });
    for (let i = 0; i < 50; i++) writer.add(exposure(`u${i}`, "closing"));
    await writer.close();
    expect(total((await good.aggregate(query("closing"))).exposuresByVariant)).toBe(50);
    expect(writer.add(exposure("late", "closing"))).toBe(false);

    const down = new PostgresEventStore("postgres://postgres:x@127.0.0.1:1/none", { connectTimeoutMs: 100 });
    const drops: [DropReason, number][] = [];
    const stuck = new EventWriter(down, { minRetryMs: 50, onDropped: (reason, n) => drops.push([reason, n]) });
    for (let i = 0; i < 7; i++) stuck.add(exposure(`u${i}`));
    await stuck.close(300);
    expect(drops).toEqual([["shutdown", 7]]);
    await down.close();
  });
});
