import { describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, FlagType, MemoryStorage, Variant } from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

describe("createFlag", () => {
  it("stores a schema-valid FeatureFlag with the display name as an annotation", async () => {
    const flags = new FeatureFlagsInteraction();
    const flag = await flags.createFlag({
      key: "new-checkout",
      name: "New checkout",
      flagType: FlagType.BOOLEAN,
      enabled: true,
      description: "New checkout flow",
      rolloutPercentage: 25,
      tags: ["checkout"],
      owner: "team-shop",
    });
    expect(flag).toEqual({
      apiVersion: "flags.vexil.dev/v1alpha1",
      kind: "FeatureFlag",
      metadata: { name: "new-checkout", annotations: { "flags.vexil.dev/display-name": "New checkout" } },
      spec: {
        description: "New checkout flow",
        type: "boolean",
        enabled: true,
        killSwitch: false,
        rollout: { strategy: "percentage", percentage: 25 },
        owner: "team-shop",
        tags: ["checkout"],
      },
    });
    expect(await flags.getFlag("new-checkout")).toEqual(flag);
  });

  it("defaults to an enabled boolean flag", async () => {
    const flags = new FeatureFlagsInteraction();
    const flag = await flags.createFlag({ key: "simple" });
    expect(flag.spec).toMatchObject({ type: "boolean", enabled: true, killSwitch: false });
    expect(await flags.evaluateFlagDetailed("simple", { userId: "u" })).toMatchObject({
      value: true,
      reason: "STATIC",
    });
  });

  it("writes metadata.namespace only when a namespace is configured", async () => {
    const flags = new FeatureFlagsInteraction({ namespace: "shop" });
    expect((await flags.createFlag({ key: "a" })).metadata.namespace).toBe("shop");
    expect((await new FeatureFlagsInteraction().createFlag({ key: "a" })).metadata.namespace).toBeUndefined();
  });

  it("refuses a duplicate key with FLAG_EXISTS", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "dup" });
    const error = await rejection(flags.createFlag({ key: "dup" }));
    expect(error.code).toBe("FLAG_EXISTS");
    expect(error.message).toBe('flag "dup" already exists; use updateFlag to change it');
  });

  it("refuses a key with no letter or digit to derive a resource name from", async () => {
    const error = await rejection(new FeatureFlagsInteraction().createFlag({ key: "___" }));
    expect(error.code).toBe("INVALID_FLAG");
    expect(error.message).toBe(
      'invalid flag name "___": give a name with at least one letter or digit, e.g. "premium_users"',
    );
  });

  it("refuses a rollout percentage over 100 naming the field", async () => {
    const error = await rejection(new FeatureFlagsInteraction().createFlag({ key: "x", rolloutPercentage: 120 }));
    expect(error.code).toBe("INVALID_FLAG");
    expect(error.message).toBe('invalid flag "x": spec.rollout.percentage: must be at most 100 (got 120)');
  });

  it("refuses a defaultVariant that names no variant", async () => {
    const error = await rejection(new FeatureFlagsInteraction().createFlag({ key: "x", defaultVariant: "blue" }));
    expect(error.code).toBe("INVALID_FLAG");
    expect(error.message).toMatch(
      /^invalid flag "x": spec.defaultVariant: "blue" is not one of the flag's variants \(on, off\)/,
    );
  });

  it("refuses variant values of the wrong type", async () => {
    const error = await rejection(
      new FeatureFlagsInteraction().createFlag({
        key: "limit",
        flagType: FlagType.NUMBER,
        variants: [new Variant({ name: "low", value: "ten" })],
        defaultVariant: "low",
      }),
    );
    expect(error.code).toBe("INVALID_FLAG");
    expect(error.message).toContain('spec.variants[0].value: must be a number for a number flag (got "ten")');
  });

  it("refuses a misspelt option instead of ignoring it", async () => {
    const error = await rejection(
      new FeatureFlagsInteraction().createFlag({ key: "x", rollout_percentage: 5 } as never),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(
      /^unknown createFlag option "rollout_percentage"; known options: key, name, flagType/,
    );
  });

  it("lets a string flag start without variants (a draft) and explains why it cannot be served yet", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "button-color", flagType: FlagType.STRING });
    const result = await flags.evaluateFlagDetailed("button-color", { userId: "u" }, "grey");
    expect(result).toMatchObject({ value: "grey", reason: "ERROR", errorCode: "GENERAL" });
    expect(result.errorMessage).toContain(
      'flag "button-color" cannot be served: spec.variants: a string flag needs at least one variant',
    );
  });
});

describe("updateFlag, deleteFlag, getFlag, listFlags", () => {
  it("changes only the fields given and null removes one", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f", description: "old", rolloutPercentage: 10 });
    const updated = await flags.updateFlag("f", { description: null, rolloutPercentage: 50, enabled: false });
    expect(updated.spec.description).toBeUndefined();
    expect(updated.spec.rollout).toEqual({ strategy: "percentage", percentage: 50 });
    expect(updated.spec.enabled).toBe(false);
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: false, reason: "DISABLED" });
  });

  it("validates updates like creation", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const error = await rejection(flags.updateFlag("f", { offVariant: "gone" }));
    expect(error.message).toMatch(/^invalid flag "f": spec.offVariant: "gone" is not one of the flag's variants/);
    expect((await flags.getFlag("f"))?.spec.offVariant).toBeUndefined();
  });

  it("reports FLAG_NOT_FOUND for a missing flag", async () => {
    const error = await rejection(new FeatureFlagsInteraction().updateFlag("ghost", { enabled: false }));
    expect(error.code).toBe("FLAG_NOT_FOUND");
    expect(error.message).toBe('flag "ghost" does not exist');
  });

  it("refuses to change the key", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    const error = await rejection(flags.updateFlag("f", { key: "g" } as never));
    expect(error.message).toBe('a flag key cannot change ("f" → "g"); create a new flag instead');
  });

  it("deletes a flag, after which it evaluates as FLAG_NOT_FOUND", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    await flags.deleteFlag("f");
    expect(await flags.getFlag("f")).toBeUndefined();
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" }, false)).toMatchObject({
      value: false,
      errorCode: "FLAG_NOT_FOUND",
    });
    expect((await rejection(flags.deleteFlag("f"))).code).toBe("FLAG_NOT_FOUND");
  });

  it("refuses to delete a flag another flag depends on", async () => {
    // prerequisites come from YAML, so this one is written straight to the storage
    const storage = new MemoryStorage();
    const flags = new FeatureFlagsInteraction({ storage });
    await flags.createFlag({ key: "payments-v2" });
    await storage.put({
      apiVersion: "flags.vexil.dev/v1alpha1",
      kind: "FeatureFlag",
      metadata: { name: "checkout" },
      spec: {
        type: "boolean",
        enabled: true,
        killSwitch: false,
        prerequisites: [{ flag: "payments-v2", variants: ["on"] }],
      },
    });
    const error = await rejection(flags.deleteFlag("payments-v2"));
    expect(error.code).toBe("FLAG_IN_USE");
    expect(error.message).toBe('flag "payments-v2" is used by flag "checkout"; remove those references first');
    expect(await flags.getFlag("payments-v2")).toBeDefined();
  });

  it("lists flags sorted by key, optionally by tag", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "b", tags: ["web"] });
    await flags.createFlag({ key: "a" });
    await flags.createFlag({ key: "c", tags: ["web", "mobile"] });
    expect((await flags.listFlags()).map((f) => f.metadata.name)).toEqual(["a", "b", "c"]);
    expect((await flags.listFlags({ tag: "web" })).map((f) => f.metadata.name)).toEqual(["b", "c"]);
  });

  it("returns copies: mutating a returned flag changes nothing stored", async () => {
    const flags = new FeatureFlagsInteraction();
    const flag = await flags.createFlag({ key: "f" });
    flag.spec.enabled = false;
    (await flags.getFlag("f"))!.spec.enabled = false;
    expect((await flags.getFlag("f"))?.spec.enabled).toBe(true);
  });
});

describe("kill switch", () => {
  it("serves the off variant with DISABLED until restored", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    await flags.killSwitch("f");
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({
      value: false,
      variant: "off",
      reason: "DISABLED",
    });
    await flags.restoreFlag("f");
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: true, reason: "STATIC" });
    await flags.setKillSwitch("f", true);
    expect((await flags.getFlag("f"))?.spec.killSwitch).toBe(true);
  });

  it("overrides environment overrides", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({ key: "f" });
    await flags.setEnvironmentOverride("f", "staging", { enabled: true });
    await flags.killSwitch("f");
    expect(await flags.withEnvironment("staging").evaluateFlag("f", { userId: "u" })).toBe(false);
  });
});

describe("closing", () => {
  it("refuses changes after close", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.close();
    const error = await rejection(flags.createFlag({ key: "f" }));
    expect(error.code).toBe("CLOSED");
  });
});
