// The original system's usage examples, written exactly as a user of the package writes them.
// "vexil" resolves to the package itself (exports → dist/), so run `npm run build` first;
// `npm test` does.
import { describe, expect, it } from "vitest";
import {
  EvaluationContext,
  FeatureFlagsInteraction,
  FlagType,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
} from "vexil";

describe('import { FeatureFlagsInteraction, ... } from "vexil"', () => {
  it("runs the original usage examples as written", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({
      key: "new-checkout",
      name: "New checkout",
      flagType: FlagType.BOOLEAN,
      enabled: true,
      description: "New checkout flow",
      rolloutPercentage: 25,
    });
    await flags.addSegment(
      "new-checkout",
      new Segment({ name: "premium-users", rules: [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")] }),
    );
    await flags.createFlag({ key: "button-color", name: "Button color", flagType: FlagType.STRING });
    await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue", weight: 50 }));
    await flags.addVariant("button-color", new Variant({ name: "green", value: "green", weight: 50 }));

    const on = await flags.evaluateFlag("new-checkout", { userId: "user-1" });
    expect(on).toBe(false); // not a premium user: the segment decides
    const d = await flags.evaluateFlagDetailed(
      "new-checkout",
      new EvaluationContext({ userId: "user-1", attributes: { plan: "premium" } }),
    );
    expect(d).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(d.errorCode).toBeUndefined();
    const color = await flags.evaluateFlagDetailed("button-color", { userId: "user-1" });
    expect(["blue", "green"]).toContain(color.value);
    expect(color.reason).toBe("SPLIT");
    await flags.close();
  });
});
