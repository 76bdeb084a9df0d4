import { describe, expect, it } from "vitest";
import {
  FeatureFlagsInteraction,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
} from "../../../core/facade/index.ts";
import { fakeClock } from "./helpers.ts";

describe("audit log", () => {
  it("records who did what, when, with field-level changes", async () => {
    const clock = fakeClock(Date.parse("2026-11-24T09:00:00Z"));
    const flags = new FeatureFlagsInteraction({ actor: "alice", clock: clock.now });
    await flags.createFlag({ key: "f", rolloutPercentage: 25 });
    clock.advance(1000);
    await flags.updateFlag("f", { rolloutPercentage: 50, description: "checkout" });
    clock.advance(1000);
    await flags.killSwitch("f");
    const log = await flags.getAuditLog();
    expect(log.map((e) => e.action)).toEqual(["created", "updated", "killSwitchOn"]);
    expect(log[0]).toMatchObject({
      time: "2026-11-24T09:00:00.000Z",
      actor: "alice",
      resource: { kind: "FeatureFlag", name: "f" },
    });
    // a creation records the whole resource as one change at the root
    expect(log[0]?.changes).toEqual([
      { path: "", to: expect.objectContaining({ kind: "FeatureFlag", metadata: { name: "f" } }) },
    ]);
    expect(log[1]?.changes).toEqual([
      { path: "spec.rollout.percentage", from: 25, to: 50 },
      { path: "spec.description", to: "checkout" },
    ]);
    expect(log[2]).toMatchObject({
      time: "2026-11-24T09:00:02.000Z",
      changes: [{ path: "spec.killSwitch", from: false, to: true }],
    });
  });

  it("names segment and variant changes and records the segment itself", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "c", flagType: "string" });
    await flags.addVariant("c", new Variant({ name: "blue", value: "blue" }));
    await flags.addSegment(
      "c",
      new Segment({ name: "vip", rules: [new TargetingRule("tier", TargetingOperator.EQUALS, "gold")] }),
    );
    await flags.removeSegment("c", "vip");
    await flags.deleteFlag("c");
    const log = await flags.getAuditLog();
    expect(log.map((e) => `${e.resource.kind}/${e.action}`)).toEqual([
      "FeatureFlag/created",
      "FeatureFlag/variantAdded",
      "Segment/created",
      "FeatureFlag/segmentAdded",
      "FeatureFlag/segmentRemoved",
      "FeatureFlag/deleted",
    ]);
    expect(log[1]?.changes).toEqual([
      { path: "spec.variants", to: [{ name: "blue", value: "blue" }] },
      { path: "spec.defaultVariant", to: "blue" },
    ]);
    expect(log[5]?.changes[0]?.from).toMatchObject({ metadata: { name: "c" } });
  });

  it("filters by flag, time and count; a change that changes nothing is not recorded", async () => {
    const clock = fakeClock(Date.parse("2026-11-24T09:00:00Z"));
    const flags = new FeatureFlagsInteraction({ clock: clock.now });
    await flags.createFlag({ key: "a" });
    clock.advance(60_000);
    await flags.createFlag({ key: "b" });
    await flags.updateFlag("a", { enabled: false });
    await flags.updateFlag("a", { enabled: false });
    expect((await flags.getAuditLog({ flagKey: "a" })).map((e) => e.action)).toEqual(["created", "updated"]);
    expect((await flags.getAuditLog({ since: "2026-11-24T09:00:30Z" })).map((e) => e.resource.name)).toEqual([
      "b",
      "a",
    ]);
    expect((await flags.getAuditLog({ limit: 1 })).map((e) => e.resource.name)).toEqual(["a"]);
    expect(await flags.getAuditLog({ limit: 0 })).toEqual([]);
  });

  it("records nothing for a rejected change", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "a" });
    await expect(flags.updateFlag("a", { rolloutPercentage: 500 })).rejects.toThrow();
    expect(await flags.getAuditLog()).toHaveLength(1);
  });
});

describe("analytics", () => {
  it("counts evaluations by flag, variant, reason and error, with first and last times", async () => {
    const clock = fakeClock(Date.parse("2026-11-24T09:00:00Z"));
    const flags = new FeatureFlagsInteraction({ clock: clock.now });
    await flags.createFlag({ key: "f" });
    await flags.evaluateFlag("f", { userId: "u" });
    clock.advance(30_000);
    await flags.evaluateFlag("f", { userId: "u" }); // cached, still counted
    await flags.killSwitch("f");
    await flags.evaluateFlag("f", { userId: "u" });
    await flags.evaluateFlag("ghost", { userId: "u" });
    expect(await flags.getAnalytics("f")).toEqual({
      flagKey: "f",
      evaluations: 3,
      variants: { on: 2, off: 1 },
      reasons: { STATIC: 2, DISABLED: 1 },
      errors: {},
      environments: { production: 3 },
      firstEvaluated: "2026-11-24T09:00:00.000Z",
      lastEvaluated: "2026-11-24T09:00:30.000Z",
    });
    const all = await flags.getAnalytics();
    expect(Object.keys(all)).toEqual(["f", "ghost"]);
    expect(all.ghost).toMatchObject({ evaluations: 1, errors: { FLAG_NOT_FOUND: 1 }, reasons: { ERROR: 1 } });
  });

  it("reports zeros for a flag never evaluated", async () => {
    expect(await new FeatureFlagsInteraction().getAnalytics("never")).toEqual({
      flagKey: "never",
      evaluations: 0,
      variants: {},
      reasons: {},
      errors: {},
      environments: {},
    });
  });
});
