// Experiment events on a real evaluator over HTTP with a real SQLite event store: exposures
// recorded by evaluation (OFREP single and bulk, native API) for enrolled users only, and
// POST /v1/events validation, ignore reasons and limits.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { loadManifestPaths } from "../../../core/manifest/load.ts";
import { analyzeExperiment } from "../../../core/statistics/analyze.ts";
import { storeExperiments } from "../../../cli/events-database.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { flagYaml, startEvaluator, type Harness } from "./harness.ts";

const FILES = {
  "flags.yaml": [
    flagYaml("checkout", "type: boolean"),
    flagYaml("old-banner", "type: boolean"),
    `apiVersion: flags.vexil.dev/v1alpha1
kind: Segment
metadata: {name: premium}
spec:
  conditions: [{attribute: plan, operator: equals, values: [premium]}]
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: checkout-test}
spec:
  flag: checkout
  variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
  control: "off"
  traffic: 50
  audience: {segments: [premium]}
  metrics: [{name: purchase, event: purchase}]
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: banner-test}
spec:
  flag: old-banner
  variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
  control: "off"
  metrics: [{name: click, event: click}]
  stop: "2026-01-01T00:00:00Z"
`,
  ].join(""),
};

let harness: Harness;
let store: SqliteEventStore;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vexil-events-"));
  store = new SqliteEventStore(path.join(dir, "events.db"));
  harness = await startEvaluator(FILES, { eventStore: store, eventBuffer: { flushIntervalMs: 10 } });
  await storeExperiments(store, "default", (await loadManifestPaths([harness.dir])).resources);
  await harness.evaluator.events.catalog!.refresh(); // as the evaluator does every few seconds
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const post = async (url: string, body: unknown) => {
  const res = await fetch(`${harness.baseUrl}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const query = {
  namespace: "default",
  experiment: "checkout-test",
  variants: ["on", "off"],
  metrics: [{ name: "purchase", event: "purchase", type: "conversion" as const }],
};
const flush = () => harness.evaluator.events.writer!.flush();

describe("exposures recorded by evaluation", () => {
  it("records one exposure per enrolled user, through OFREP single, OFREP bulk and the native API, in the engine's variant", async () => {
    const users = Array.from({ length: 120 }, (_, i) => ({
      targetingKey: `user-${i}`,
      plan: i % 3 ? "premium" : "free",
    }));
    for (const [i, context] of users.entries()) {
      if (i % 3 === 0) await post("/ofrep/v1/evaluate/flags/checkout", { context });
      else if (i % 3 === 1) await post("/ofrep/v1/evaluate/flags", { context });
      else await post("/v1/evaluate/checkout", { context });
      await post("/ofrep/v1/evaluate/flags/checkout", { context }); // a second evaluation is no new exposure
    }
    await flush();
    const snapshot = harness.source.current()!;
    const expected: Record<string, number> = { on: 0, off: 0 };
    for (const context of users) {
      const result = evaluate(snapshot, "checkout", context);
      if (result.metadata?.experiment === "checkout-test") expected[result.variant!]! += 1;
    }
    // free users are outside the audience, half the premium ones outside the traffic
    expect(expected.on! + expected.off!).toBeGreaterThan(20);
    expect(expected.on! + expected.off!).toBeLessThan(80);
    expect((await store.aggregate(query)).exposuresByVariant).toEqual(expected);
    const metric = await harness.metric("vexil_experiment_exposures_total");
    expect(metric).toMatch(new RegExp(`experiment="checkout-test",variant="on"} ${expected.on}\\b`));
  });

  it("stores posted conversions and counts them for exposed users only", async () => {
    const snapshot = harness.source.current()!;
    const enrolled = Array.from({ length: 120 }, (_, i) => `user-${i}`).filter(
      (key) => evaluate(snapshot, "checkout", { targetingKey: key, plan: "premium" }).metadata?.experiment,
    );
    const premiumEnrolled = enrolled.filter((key) => Number(key.split("-")[1]) % 3 !== 0);
    const events = [...premiumEnrolled, "stranger"].map((targetingKey) => ({
      type: "conversion",
      event: "purchase",
      targetingKey,
    }));
    const res = await post("/v1/events", events);
    expect(res).toEqual({ status: 202, json: { accepted: events.length, ignored: 0, ignoredReasons: {}, dropped: 0 } });
    await flush();
    const purchase = (await store.aggregate(query)).metrics.purchase!;
    expect(purchase.reduce((n, v) => n + v.conversions, 0)).toBe(premiumEnrolled.length);
    expect(await harness.metric("vexil_experiment_conversions_total")).toMatch(
      new RegExp(`experiment="checkout-test",metric="purchase"} ${events.length}\\b`),
    );
  });
});

describe("POST /v1/events", () => {
  it("rejects a bad event with 400 naming the field", async () => {
    const res = await post("/v1/events", [{ type: "exposure", flag: "checkout", targetingKey: "u" }]);
    expect(res).toEqual({
      status: 400,
      json: { errorCode: "INVALID_REQUEST", errorDetails: "events[0].variant: an exposure needs the variant served" },
    });
    const noName = await post("/v1/events", { events: [{ type: "value", targetingKey: "u", value: 1 }] });
    expect(noName.json.errorDetails).toBe("events[0].event: a value event needs an event name");
  });

  it("rejects timestamps far in the future with 400 and batches over the limit with 413", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await post("/v1/events", [
      { type: "conversion", event: "purchase", targetingKey: "u" },
      { type: "conversion", event: "purchase", targetingKey: "u", timestamp: future },
    ]);
    expect(res).toEqual({
      status: 400,
      json: { errorCode: "INVALID_REQUEST", errorDetails: "events[1].timestamp: more than 5 minutes in the future" },
    });
    const big = Array.from({ length: 1001 }, () => ({ type: "conversion", event: "e", targetingKey: "u" }));
    const tooMany = await post("/v1/events", big);
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.errorDetails).toBe("a batch holds at most 1000 events, got 1001: split it");
  });

  it("accepts events for unknown or stopped experiments but ignores them, counted by reason", async () => {
    const res = await post("/v1/events", [
      { type: "exposure", experiment: "no-such-test", variant: "on", targetingKey: "u" },
      { type: "conversion", experiment: "banner-test", event: "click", targetingKey: "u" },
      { type: "exposure", flag: "old-banner", variant: "on", targetingKey: "u" },
      { type: "exposure", flag: "nope", variant: "on", targetingKey: "u" },
      { type: "exposure", experiment: "checkout-test", variant: "maybe", targetingKey: "u" },
      { type: "exposure", experiment: "checkout-test", flag: "old-banner", variant: "on", targetingKey: "u" },
      { type: "exposure", experiment: "checkout-test", variant: "on", targetingKey: "sdk-user" },
    ]);
    expect(res).toEqual({
      status: 202,
      json: {
        accepted: 1,
        ignored: 6,
        ignoredReasons: {
          unknown_experiment: 1,
          experiment_not_running: 1,
          no_running_experiment: 1,
          unknown_flag: 1,
          unknown_variant: 1,
          flag_mismatch: 1,
        },
        dropped: 0,
      },
    });
    expect(await harness.metric("vexil_events_ignored_total")).toMatch(/reason="experiment_not_running"} 1/);
  });
});

describe("GET /v1/experiments", () => {
  it("serves each experiment's analysis of the store's aggregates, in the Experiment status shape", async () => {
    await flush(); // the previous test's accepted exposure
    const res = await fetch(`${harness.baseUrl}/v1/experiments/checkout-test`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    const definition = (await store.experiments("default")).find((d) => d.name === "checkout-test")!;
    const expected = analyzeExperiment(definition.spec, await store.aggregate(query), { phase: "Running" });
    expect(body).toEqual({
      name: "checkout-test",
      namespace: "default",
      flag: "checkout",
      environment: "production",
      analyzedAt: expect.any(String),
      ...JSON.parse(JSON.stringify(expected)),
    });
    const list = (await (await fetch(`${harness.baseUrl}/v1/experiments`)).json()) as {
      experiments: { name: string; phase: string }[];
    };
    expect(list.experiments.map((e) => [e.name, e.phase])).toEqual([
      ["banner-test", "Concluded"],
      ["checkout-test", "Running"],
    ]);
  });

  it("answers 404 naming an unknown experiment", async () => {
    const res = await fetch(`${harness.baseUrl}/v1/experiments/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      errorCode: "NOT_FOUND",
      errorDetails: 'no experiment "nope" in namespace default',
    });
  });
});
