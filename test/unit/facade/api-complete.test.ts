// The TypeScript API does what the YAML can, with names as users write them: the original
// system's `Segment(name="premium_users", ...)` as written, prerequisites, targets, ordered
// rules, every rollout strategy by name, segment and experiment CRUD.
import { describe, expect, it } from "vitest";
import {
  EvaluationContext,
  FeatureFlagsInteraction,
  FlagType,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
} from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

const premiumRule = () => new TargetingRule("plan", TargetingOperator.EQUALS, "premium");

describe("names as written", () => {
  it('runs the original example with Segment(name="premium_users") as written, keeping the 25% rollout', async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({
      key: "new-checkout",
      name: "New checkout",
      flagType: FlagType.BOOLEAN,
      enabled: true,
      description: "New checkout flow",
      rolloutPercentage: 25,
    });
    await flags.addSegment("new-checkout", new Segment({ name: "premium_users", rules: [premiumRule()] }));
    const segment = await flags.getSegment("premium_users");
    expect(segment?.metadata).toEqual({
      name: "premium-users",
      annotations: { "flags.vexil.dev/name": "premium_users" },
    });
    expect((await flags.listSegments()).map((s) => s.metadata.annotations?.["flags.vexil.dev/name"])).toEqual([
      "premium_users",
    ]);
    const flag = await flags.getFlag("new-checkout");
    expect(flag?.spec.rollout).toEqual({ strategy: "percentage", percentage: 25 });
    expect(flag?.spec.rules).toEqual([
      { name: "segment:premium-users", segments: ["premium-users"], serve: { variant: "on" } },
    ]);
    const member = new EvaluationContext({ userId: "user-1", attributes: { plan: "premium" } });
    expect(await flags.evaluateFlagDetailed("new-checkout", member)).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    // everyone else stays in the 25% rollout: about a quarter of them get the flag
    let inside = 0;
    for (let i = 0; i < 2000; i++) if (await flags.evaluateFlag("new-checkout", { userId: `u${i}` })) inside++;
    expect(inside / 2000).toBeGreaterThan(0.2);
    expect(inside / 2000).toBeLessThan(0.3);
    await flags.removeSegment("new-checkout", "premium_users");
    expect((await flags.getFlag("new-checkout"))?.spec.rollout).toEqual({ strategy: "percentage", percentage: 25 });
  });

  it("takes a flag key as written and answers with it", async () => {
    const flags = new FeatureFlagsInteraction();
    const flag = await flags.createFlag({ key: "new_checkout" });
    expect(flag.metadata).toEqual({ name: "new-checkout", annotations: { "flags.vexil.dev/name": "new_checkout" } });
    expect((await flags.getFlag("new_checkout"))?.metadata.name).toBe("new-checkout");
    expect(await flags.evaluateFlagDetailed("new_checkout", { userId: "u" })).toMatchObject({
      key: "new_checkout",
      value: true,
    });
    await flags.killSwitch("new_checkout");
    expect(await flags.evaluateFlag("new_checkout", { userId: "u" })).toBe(false);
  });

  it("refuses a second name that maps to the same resource name, naming both", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createSegment(new Segment({ name: "premium_users", rules: [premiumRule()] }));
    const error = await rejection(flags.createSegment(new Segment({ name: "Premium Users", rules: [premiumRule()] })));
    expect(error.code).toBe("NAME_COLLISION");
    expect(error.message).toBe(
      'segment "Premium Users" would be stored as "premium-users", which segment "premium_users" already is; ' +
        "choose a name that differs in more than case and punctuation",
    );
    await flags.createFlag({ key: "checkout" });
    expect((await rejection(flags.createFlag({ key: "Checkout" }))).code).toBe("NAME_COLLISION");
  });
});

describe("everything the YAML can", () => {
  it("prerequisites, individual targets and ordered rules with conditions, segments, variants and splits", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "payments_v2", rolloutPercentage: 0 });
    await flags.createSegment(new Segment({ name: "beta_testers", included: ["user-7"] }));
    await flags.createFlag({
      key: "button-color",
      flagType: FlagType.STRING,
      variants: [new Variant({ name: "blue", value: "blue" }), new Variant({ name: "green", value: "green" })],
      defaultVariant: "blue",
      offVariant: "blue",
      prerequisites: [{ flag: "payments_v2", variants: ["off"] }],
      targets: [{ variant: "green", values: ["user-1"] }],
      rules: [
        { name: "beta", segments: ["beta_testers"], serve: { variant: "green" } },
        {
          name: "uk",
          conditions: [new TargetingRule("country", TargetingOperator.IN, ["UK", "IE"])],
          serve: {
            split: [
              { variant: "blue", weight: 50 },
              { variant: "green", weight: 50 },
            ],
          },
        },
      ],
    });
    const stored = await flags.getFlag("button-color");
    expect(stored?.spec.prerequisites).toEqual([{ flag: "payments-v2", variants: ["off"] }]);
    expect(stored?.spec.rules?.[0]?.segments).toEqual(["beta-testers"]);
    const answer = (context: Record<string, unknown>) => flags.evaluateFlagDetailed("button-color", context);
    expect(await answer({ userId: "user-1" })).toMatchObject({ value: "green", reason: "TARGETING_MATCH" });
    expect(await answer({ userId: "user-7" })).toMatchObject({ value: "green", reason: "TARGETING_MATCH" });
    expect(await answer({ userId: "user-9", attributes: { country: "UK" } })).toMatchObject({ reason: "SPLIT" });
    expect(await answer({ userId: "user-9" })).toMatchObject({ value: "blue", reason: "DEFAULT" });
    await flags.updateFlag("payments_v2", { rolloutPercentage: 100 });
    expect(await answer({ userId: "user-1" })).toMatchObject({ value: "blue", reason: "PREREQUISITE_FAILED" });
    await flags.updateFlag("button-color", { prerequisites: null, rules: null, targets: null });
    expect((await flags.getFlag("button-color"))?.spec.rules).toBeUndefined();
  });

  it("each rollout strategy by name", async () => {
    const flags = new FeatureFlagsInteraction({ clock: () => Date.parse("2026-11-29T12:00:00Z") });
    await flags.createSegment(new Segment({ name: "staff", included: ["user-1"] }));
    const rollouts = {
      percentage: { strategy: "percentage", percentage: 30 },
      gradual: { strategy: "gradual", from: 10, to: 100, start: "2026-11-29T00:00:00Z", duration: "24h" },
      ring: {
        strategy: "ring",
        rings: [
          { name: "staff", segments: ["staff"] },
          { name: "customers", attribute: "plan", values: ["pro"] },
        ],
        currentRing: "staff",
      },
      canary: {
        strategy: "canary",
        percentage: 5,
        start: "2026-11-29T00:00:00Z",
        promote: [{ after: "1h", percentage: 50 }],
      },
      targeted: { strategy: "targeted", segments: ["staff"] },
    } as const;
    for (const [strategy, rollout] of Object.entries(rollouts)) {
      await flags.createFlag({ key: `rollout-${strategy}`, rollout: rollout as never });
      expect((await flags.getFlag(`rollout-${strategy}`))?.spec.rollout?.strategy).toBe(strategy);
      const staff = await flags.evaluateFlagDetailed(`rollout-${strategy}`, { userId: "user-1" });
      expect(staff.errorCode, strategy).toBeUndefined();
    }
    expect(await flags.evaluateFlagDetailed("rollout-targeted", { userId: "user-1" })).toMatchObject({ value: true });
    expect(await flags.evaluateFlagDetailed("rollout-targeted", { userId: "user-2" })).toMatchObject({
      value: false,
      reason: "DEFAULT",
    });
  });

  it("segments on their own: create, update, get, list, delete (refused while in use)", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createSegment(new Segment({ name: "premium_users", rules: [premiumRule()] }));
    expect((await rejection(flags.createSegment(new Segment({ name: "premium_users" })))).code).toBe("SEGMENT_EXISTS");
    await flags.updateSegment("premium_users", new Segment({ name: "premium_users", included: ["user-9"] }));
    expect((await flags.getSegment("premium_users"))?.spec).toMatchObject({ included: ["user-9"] });
    await flags.createFlag({
      key: "f",
      rules: [{ segments: ["premium_users"], serve: { variant: "on" } }],
      rolloutPercentage: 0,
    });
    expect(await flags.evaluateFlag("f", { userId: "user-9" })).toBe(true);
    const inUse = await rejection(flags.deleteSegment("premium_users"));
    expect(inUse.code).toBe("SEGMENT_IN_USE");
    expect(inUse.message).toBe(
      'segment "premium_users" is used by flag "f"; remove it from them first (removeSegment)',
    );
    await flags.updateFlag("f", { rules: null });
    await flags.deleteSegment("premium_users");
    expect(await flags.getSegment("premium_users")).toBeUndefined();
    expect((await rejection(flags.deleteSegment("premium_users"))).code).toBe("SEGMENT_NOT_FOUND");
  });

  it("experiments: create, update, get, list, delete", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "new_checkout" });
    const created = await flags.createExperiment({
      name: "Checkout conversion",
      flag: "new_checkout",
      variants: [
        { variant: "on", weight: 50 },
        { variant: "off", weight: 50 },
      ],
      control: "off",
      metrics: [{ name: "purchase", event: "purchase" }],
    });
    expect(created.metadata).toEqual({
      name: "checkout-conversion",
      annotations: { "flags.vexil.dev/name": "Checkout conversion" },
    });
    expect(created.spec).toMatchObject({ flag: "new-checkout", traffic: 100, environment: "production" });
    await flags.updateExperiment("Checkout conversion", { traffic: 20 });
    expect((await flags.getExperiment("Checkout conversion"))?.spec.traffic).toBe(20);
    expect((await flags.listExperiments()).map((e) => e.metadata.name)).toEqual(["checkout-conversion"]);
    expect((await rejection(flags.deleteFlag("new_checkout"))).code).toBe("FLAG_IN_USE");
    await flags.deleteExperiment("Checkout conversion");
    expect(await flags.listExperiments()).toEqual([]);
  });
});
