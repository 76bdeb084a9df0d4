// The TypeScript API's experiment results: getExperimentResults and getVariantAnalytics read
// the same event store the evaluators write (a real SQLite file here).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, VexilError } from "../../../core/index.ts";
import { experimentSpecSchema } from "../../../core/schema/experiment.ts";
import { analyzeExperiment } from "../../../core/statistics/analyze.ts";
import { experimentResultsReader } from "../../../event-store/results.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import type { EventRecord } from "../../../event-store/store.ts";

const spec = experimentSpecSchema.parse({
  flag: "checkout",
  variants: [
    { variant: "on", weight: 50 },
    { variant: "off", weight: 50 },
  ],
  control: "off",
  metrics: [{ name: "purchase", event: "purchase" }],
});

let dir: string;
let store: SqliteEventStore;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vexil-facade-exp-"));
  store = new SqliteEventStore(path.join(dir, "events.db"));
  await store.putExperiments("default", [
    { namespace: "default", name: "checkout-test", spec, phase: "Running", updatedAt: 1 },
  ]);
  const records: EventRecord[] = [];
  for (let i = 0; i < 40; i++) {
    const variant = i % 2 ? "on" : "off";
    records.push({
      kind: "exposure",
      namespace: "default",
      experiment: "checkout-test",
      flag: "checkout",
      variant,
      targetingKey: `u${i}`,
      at: 10,
    });
    if (i % 3 === 0)
      records.push({
        kind: "metric",
        namespace: "default",
        event: "purchase",
        targetingKey: `u${i}`,
        value: 1,
        at: 20,
      });
  }
  // an older experiment on the same flag whose definition is gone
  records.push({
    kind: "exposure",
    namespace: "default",
    experiment: "old-test",
    flag: "checkout",
    variant: "on",
    targetingKey: "x",
    at: 1,
  });
  await store.write(records);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("experiment results through FeatureFlagsInteraction", () => {
  it("getExperimentResults returns the analysis of the store's aggregates", async () => {
    const flags = new FeatureFlagsInteraction({ experiments: experimentResultsReader(store) });
    const results = await flags.getExperimentResults("checkout-test");
    const aggregates = await store.aggregate({
      namespace: "default",
      experiment: "checkout-test",
      variants: ["on", "off"],
      metrics: [{ name: "purchase", event: "purchase", type: "conversion" }],
    });
    expect(results).toMatchObject({ name: "checkout-test", flag: "checkout", ...analyzeExperiment(spec, aggregates) });
    expect(results.results.purchase!.map((r) => [r.variant, r.exposures, r.conversions])).toEqual([
      ["off", 20, 7], // the control first
      ["on", 20, 7],
    ]);
  });

  it("getVariantAnalytics lists unique users per variant for every experiment that ran on the flag", async () => {
    const flags = new FeatureFlagsInteraction({ experiments: experimentResultsReader(store) });
    const analytics = await flags.getVariantAnalytics("checkout");
    expect(analytics.flagKey).toBe("checkout");
    expect(analytics.experiments.map((e) => [e.experiment, e.exposures, e.results?.name])).toEqual([
      ["checkout-test", { on: 20, off: 20 }, "checkout-test"],
      ["old-test", { on: 1 }, undefined],
    ]);
  });

  it("says what to pass without an event store, and names an unknown experiment", async () => {
    const bare = new FeatureFlagsInteraction();
    await expect(bare.getExperimentResults("checkout-test")).rejects.toThrow(/experiment results need an event store/);
    const flags = new FeatureFlagsInteraction({ experiments: experimentResultsReader(store) });
    const missing = await flags.getExperimentResults("nope").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(VexilError);
    expect(missing).toMatchObject({ code: "EXPERIMENT_NOT_FOUND", message: 'no experiment "nope" in the event store' });
  });
});
