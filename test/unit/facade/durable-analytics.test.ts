// The TypeScript API's analytics with an event store: evaluations are counted in the store, so
// a new instance (a restarted process) reads what an earlier one counted, and getStaleFlags()
// judges flags from that durable usage.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeatureFlagsInteraction } from "../../../api/interaction.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vexil-analytics-"));
  file = path.join(dir, "events.db");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("durable analytics", () => {
  it("getAnalytics reads the event store: counts survive the instance and add up across instances", async () => {
    const first = new FeatureFlagsInteraction({ eventsDatabase: file });
    await first.createFlag({ key: "checkout", rolloutPercentage: 100 });
    for (let i = 0; i < 3; i++) await first.evaluateFlag("checkout", { targetingKey: `u${i}` });
    await first.close();

    const second = new FeatureFlagsInteraction({ eventsDatabase: file, environment: "staging" });
    await second.createFlag({ key: "checkout", rolloutPercentage: 100 });
    await second.evaluateFlag("checkout", { targetingKey: "u9" });
    const analytics = await second.getAnalytics("checkout");
    expect(analytics).toMatchObject({
      flagKey: "checkout",
      evaluations: 4,
      variants: { on: 4 },
      environments: { production: 3, staging: 1 },
    });
    expect(Date.parse(analytics.lastEvaluated!)).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.keys(await second.getAnalytics())).toEqual(["checkout"]);
    await second.close();

    const store = new SqliteEventStore(file);
    expect((await store.usage({ since: 0 }))[0]?.evaluations).toBe(4);
    await store.close();
  });

  it("getStaleFlags reports a never-evaluated flag by owner, not one evaluated lately", async () => {
    const flags = new FeatureFlagsInteraction({ eventsDatabase: file });
    await flags.createFlag({ key: "checkout", rolloutPercentage: 100 });
    await flags.createFlag({ key: "legacy-banner", owner: "team-growth" });
    const report = await flags.getStaleFlags();
    expect(report.checked).toBe(2);
    expect(report.owners.flatMap((o) => o.flags.map((f) => [o.owner, f.flag, f.reason]))).toEqual([
      ["team-growth", "legacy-banner", "NeverEvaluated"],
    ]);
    await flags.close();
  });
});
