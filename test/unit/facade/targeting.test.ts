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

const premium = () =>
  new Segment({ name: "premium-users", rules: [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")] });

describe("addSegment", () => {
  it("gives members the on variant (TARGETING_MATCH) and everyone else off (DEFAULT)", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "new-checkout" });
    await flags.addSegment("new-checkout", premium());
    const member = new EvaluationContext({ userId: "user-1", attributes: { plan: "premium" } });
    expect(await flags.evaluateFlagDetailed("new-checkout", member)).toEqual({
      key: "new-checkout",
      value: true,
      variant: "on",
      reason: "TARGETING_MATCH",
    });
    expect(
      await flags.evaluateFlagDetailed("new-checkout", { userId: "user-1", attributes: { plan: "free" } }),
    ).toEqual({
      key: "new-checkout",
      value: false,
      variant: "off",
      reason: "DEFAULT",
    });
  });

  it("writes a Segment resource and a rule plus targeted rollout on the flag", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const flag = await flags.addSegment("f", premium());
    expect(flag.spec.rules).toEqual([
      { name: "segment:premium-users", segments: ["premium-users"], serve: { variant: "on" } },
    ]);
    expect(flag.spec.rollout).toEqual({ strategy: "targeted", segments: ["premium-users"] });
    const [segment] = await flags.listSegments("f");
    expect(segment?.spec).toEqual({
      match: "all",
      conditions: [{ attribute: "plan", operator: "equals", values: ["premium"] }],
    });
  });

  it("targets several segments and updates a segment's rules in place", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    await flags.addSegment("f", premium());
    await flags.addSegment("f", new Segment({ name: "staff", included: ["alice"] }));
    expect(await flags.evaluateFlag("f", { userId: "alice" })).toBe(true);
    expect(await flags.evaluateFlag("f", { userId: "bob", plan: "premium" })).toBe(true);
    expect(await flags.evaluateFlag("f", { userId: "bob" })).toBe(false);
    await flags.addSegment("f", new Segment({ name: "staff", included: ["bob"] }));
    expect(await flags.evaluateFlag("f", { userId: "alice" })).toBe(false);
    expect(await flags.evaluateFlag("f", { userId: "bob" })).toBe(true);
    expect((await flags.getFlag("f"))?.spec.rules).toHaveLength(2);
  });

  it("removeSegment stops targeting but keeps the reusable Segment", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    await flags.addSegment("f", premium());
    const flag = await flags.removeSegment("f", "premium-users");
    expect(flag.spec.rules).toBeUndefined();
    expect(flag.spec.rollout).toBeUndefined();
    expect(await flags.listSegments("f")).toEqual([]);
    expect((await flags.listSegments()).map((s) => s.metadata.name)).toEqual(["premium-users"]);
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: true, reason: "STATIC" });
  });

  it("reports bad segments clearly", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const badName = await rejection(flags.addSegment("f", new Segment({ name: "!!!" })));
    expect(badName.code).toBe("INVALID_SEGMENT");
    expect(badName.message).toMatch(/^invalid segment name "!!!": give a name with at least one letter or digit/);
    const badRegex = await rejection(
      flags.addSegment(
        "f",
        new Segment({ name: "s", rules: [new TargetingRule("email", TargetingOperator.REGEX, "(")] }),
      ),
    );
    expect(badRegex.code).toBe("INVALID_SEGMENT");
    expect(badRegex.message).toMatch(/^invalid segment "s": spec.conditions\[0\]/);
    expect((await flags.getFlag("f"))?.spec.rules).toBeUndefined();
    const missing = await rejection(flags.removeSegment("f", "nobody"));
    expect(missing.code).toBe("SEGMENT_NOT_FOUND");
    expect(missing.message).toBe('flag "f" is not targeted to segment "nobody" (targeted: none)');
    expect((await rejection(flags.addSegment("ghost", premium()))).code).toBe("FLAG_NOT_FOUND");
  });
});

describe("variants", () => {
  it("splits a string flag across weighted variants, as in the original example", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "button-color", name: "Button color", flagType: FlagType.STRING });
    await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue", weight: 50 }));
    await flags.addVariant("button-color", new Variant({ name: "green", value: "green", weight: 50 }));
    const seen = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const result = await flags.evaluateFlagDetailed("button-color", { userId: `user-${i}` });
      expect(result.reason).toBe("SPLIT");
      expect(result.value).toBe(result.variant);
      seen.set(String(result.value), (seen.get(String(result.value)) ?? 0) + 1);
    }
    expect(seen.get("blue")).toBeGreaterThan(150);
    expect(seen.get("green")).toBeGreaterThan(150);
    expect((await flags.getFlag("button-color"))?.spec.defaultVariant).toBe("blue");
  });

  it("refuses a string variant on a boolean flag with TYPE_MISMATCH", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const error = await rejection(flags.addVariant("f", new Variant({ name: "blue", value: "blue" })));
    expect(error.code).toBe("TYPE_MISMATCH");
    expect(error.message).toBe(
      'variant "blue" has a string value but flag "f" is of type boolean; use true or false, or create the flag with flagType STRING, NUMBER or JSON',
    );
  });

  it("adds to a boolean flag's implicit on/off variants", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const flag = await flags.addVariant("f", { name: "also-on", value: true });
    expect(flag.spec.variants?.map((v) => v.name)).toEqual(["on", "off", "also-on"]);
  });

  it("refuses duplicates, unknown names and removing the default variant", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "c", flagType: FlagType.STRING });
    await flags.addVariant("c", new Variant({ name: "blue", value: "blue" }));
    await flags.addVariant("c", new Variant({ name: "red", value: "red" }));
    const dup = await rejection(flags.addVariant("c", new Variant({ name: "red", value: "crimson" })));
    expect(dup.code).toBe("VARIANT_EXISTS");
    const unknown = await rejection(flags.removeVariant("c", "green"));
    expect(unknown.code).toBe("VARIANT_NOT_FOUND");
    expect(unknown.message).toBe('flag "c" has no variant "green" (variants: "blue", "red")');
    const inUse = await rejection(flags.removeVariant("c", "blue"));
    expect(inUse.code).toBe("VARIANT_IN_USE");
    expect(inUse.message).toBe(
      'variant "blue" is the defaultVariant of flag "c"; set another defaultVariant before removing it',
    );
    const flag = await flags.removeVariant("c", "red");
    expect(flag.spec.variants?.map((v) => v.name)).toEqual(["blue"]);
  });

  it("refuses a variant name the schema does not allow", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "c", flagType: FlagType.STRING });
    const error = await rejection(flags.addVariant("c", new Variant({ name: "-bad", value: "x" })));
    expect(error.code).toBe("INVALID_FLAG");
    expect(error.message).toMatch(/^invalid flag "c": spec.variants\[0\].name: must be letters, digits/);
  });
});

describe("environments and rollout", () => {
  it("evaluates environment overrides in the chosen environment only", async () => {
    const flags = new FeatureFlagsInteraction({ environment: "production" });
    await flags.createFlag({ key: "f" });
    await flags.setEnvironmentOverride("f", "staging", { enabled: false });
    const staging = flags.withEnvironment("staging");
    expect(staging.environment).toBe("staging");
    expect(await staging.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    await flags.removeEnvironmentOverride("f", "staging");
    expect(await staging.evaluateFlag("f", { userId: "u" })).toBe(true);
    const missing = await rejection(flags.removeEnvironmentOverride("f", "staging"));
    expect(missing.code).toBe("ENVIRONMENT_NOT_FOUND");
    expect(missing.message).toBe('flag "f" has no override for environment "staging" (overrides: none)');
  });

  it("sets rollout percentages for all environments or one", async () => {
    const flags = new FeatureFlagsInteraction({ environment: "staging" });
    await flags.createFlag({ key: "f" });
    await flags.setRolloutPercentage("f", 0);
    await flags.setRolloutPercentage("f", 100, "staging");
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: true, reason: "SPLIT" });
    expect(await flags.withEnvironment("production").evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({
      value: false,
      reason: "DEFAULT",
    });
    expect((await flags.getFlag("f"))?.spec.environments).toEqual({
      staging: { rollout: { strategy: "percentage", percentage: 100 } },
    });
  });

  it("puts roughly the given share of users inside a percentage rollout", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f", rolloutPercentage: 25 });
    let on = 0;
    for (let i = 0; i < 1000; i++) if ((await flags.evaluateFlag("f", { userId: `user-${i}` })) === true) on++;
    expect(on).toBeGreaterThan(200);
    expect(on).toBeLessThan(300);
  });

  it("rejects bad percentages and environment names", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const pct = await rejection(flags.setRolloutPercentage("f", 101));
    expect(pct.message).toBe("rollout percentage must be a number from 0 to 100 (got 101)");
    const env = await rejection(flags.setEnvironmentOverride("f", "Prod_1", { enabled: false }));
    expect(env.code).toBe("INVALID_ARGUMENT");
    expect(env.message).toBe("invalid environment name \"Prod_1\": must be lowercase letters, digits or '-'");
    const override = await rejection(flags.setEnvironmentOverride("f", "qa", { defaultVariant: "blue" }));
    expect(override.message).toMatch(/^invalid flag "f": spec.environments.qa.defaultVariant: "blue" is not one of/);
    expect(() => flags.withEnvironment("Bad Env")).toThrowError(/invalid environment name "Bad Env"/);
  });
});

describe("evaluation contexts", () => {
  it("accepts an EvaluationContext, { userId, attributes }, flat attributes and OpenFeature's targetingKey alike", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    await flags.addSegment("f", premium());
    const contexts = [
      new EvaluationContext({ userId: "u", attributes: { plan: "premium" } }),
      { userId: "u", attributes: { plan: "premium" } },
      { userId: "u", plan: "premium" },
      { targetingKey: "u", plan: "premium" },
    ];
    for (const context of contexts) expect(await flags.evaluateFlag("f", context)).toBe(true);
  });

  it("answers INVALID_CONTEXT instead of throwing for a context that is not an object", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const result = await flags.evaluateFlagDetailed("f", "user-1" as never, false);
    expect(result).toMatchObject({ value: false, reason: "ERROR", errorCode: "INVALID_CONTEXT" });
    const numeric = await flags.evaluateFlagDetailed("f", { userId: 42 } as never, false);
    expect(numeric.errorCode).toBe("INVALID_CONTEXT");
    expect(numeric.errorMessage).toContain("targetingKey must be a string");
  });
});
