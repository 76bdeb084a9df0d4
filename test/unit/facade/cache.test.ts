import { describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, MemoryStorage } from "../../../core/facade/index.ts";
import type { FeatureFlag } from "../../../core/schema/index.ts";
import { TtlCache } from "../../../core/facade/cache.ts";
import { fakeClock } from "./helpers.ts";

/** Another writer changing the storage behind the instance's back (a teammate, git pull). */
async function disableBehindTheBack(storage: MemoryStorage, key: string): Promise<void> {
  const flag = (await storage.get("FeatureFlag", key)) as FeatureFlag;
  flag.spec.enabled = false;
  await storage.put(flag);
}

describe("caches", () => {
  it("keep definitions 60 s: an outside change shows after the TTL, not before", async () => {
    const clock = fakeClock();
    const storage = new MemoryStorage();
    const flags = new FeatureFlagsInteraction({ storage, clock: clock.now });
    await flags.createFlag({ key: "f" });
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    await disableBehindTheBack(storage, "f");
    clock.advance(11_000); // result cache expired, definitions still cached
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    expect((await flags.getFlag("f"))?.spec.enabled).toBe(true);
    clock.advance(50_000);
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(false);
    expect((await flags.getFlag("f"))?.spec.enabled).toBe(false);
  });

  it("keep results 10 s even when definitions are reloaded sooner", async () => {
    const clock = fakeClock();
    const storage = new MemoryStorage();
    const flags = new FeatureFlagsInteraction({ storage, clock: clock.now, definitionTtlMs: 1_000 });
    await flags.createFlag({ key: "f" });
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    await disableBehindTheBack(storage, "f");
    clock.advance(5_000);
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true); // cached result
    expect(await flags.evaluateFlag("f", { userId: "someone-else" })).toBe(false); // fresh definitions
    clock.advance(5_000);
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(false);
  });

  it("keep the reason the result was computed with", async () => {
    const flags = new FeatureFlagsInteraction({ clock: fakeClock().now });
    await flags.createFlag({ key: "f", rolloutPercentage: 100 });
    const first = await flags.evaluateFlagDetailed("f", { userId: "u" });
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toEqual(first);
    expect(first.reason).toBe("SPLIT");
  });

  it("are cleared at once by any change through the same instance or its environment views", async () => {
    const flags = new FeatureFlagsInteraction({ clock: fakeClock().now });
    const staging = flags.withEnvironment("staging");
    await flags.createFlag({ key: "f" });
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(true);
    expect(await staging.evaluateFlag("f", { userId: "u" })).toBe(true);
    await staging.killSwitch("f");
    expect(await flags.evaluateFlag("f", { userId: "u" })).toBe(false);
    expect(await staging.evaluateFlag("f", { userId: "u" })).toBe(false);
    await flags.updateFlag("f", { rolloutPercentage: 0 });
    await flags.restoreFlag("f");
    expect(await flags.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: false, reason: "DEFAULT" });
  });

  it("distinguish contexts and defaults in the result cache", async () => {
    const flags = new FeatureFlagsInteraction({ clock: fakeClock().now });
    expect(await flags.evaluateFlag("missing", { userId: "u" }, "a")).toBe("a");
    expect(await flags.evaluateFlag("missing", { userId: "u" }, "b")).toBe("b");
    await flags.createFlag({ key: "f", rolloutPercentage: 50 });
    const values = new Set<unknown>();
    for (let i = 0; i < 50; i++) values.add(await flags.evaluateFlag("f", { userId: `user-${i}` }));
    expect(values).toEqual(new Set([true, false]));
  });
});

describe("TtlCache", () => {
  it("expires entries after the TTL and evicts the oldest beyond its bound", () => {
    const clock = fakeClock();
    const cache = new TtlCache<number>(1_000, clock.now, 2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, 2, 3]);
    clock.advance(999);
    expect(cache.get("b")).toBe(2);
    clock.advance(1);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
