// The evaluation fast paths (prepared answers of flags with nothing to decide, the folded
// prototype check of contexts, the targetingKey read without hasOwn) must answer exactly as the
// general path does, also once V8 has optimized them for one context shape.
import { describe, expect, it } from "vitest";
import type { CompiledFlag } from "../../../core/snapshot/snapshot.ts";
import { booleanFlag, snapshotOf, stringFlag } from "./fixtures.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";

/** Plenty of calls with one plain context shape, so the optimizing compiler gets involved. */
function warmUp(flag: CompiledFlag): void {
  const snapshot = snapshotOf(flag);
  for (let i = 0; i < 20_000; i++) evaluate(snapshot, flag.key, { targetingKey: `user-${i % 100}`, plan: "premium" });
}

describe("flags whose answer does not depend on the context", () => {
  it("serve defaultVariant STATIC in a fresh result object each call", () => {
    const snapshot = snapshotOf(booleanFlag("f"));
    const first = evaluate(snapshot, "f", { targetingKey: "u" });
    first.value = false;
    const second = evaluate(snapshot, "f", { targetingKey: "u" });
    expect(second).toEqual({ key: "f", value: true, variant: "on", reason: "STATIC" });
    expect(second).not.toBe(first);
  });

  it("serve defaultVariant DEFAULT when the flag has targeting that compiled to nothing", () => {
    const result = evaluate(snapshotOf(booleanFlag("f", { hasTargeting: true })), "f", {});
    expect(result).toMatchObject({ variant: "on", reason: "DEFAULT" });
  });

  it("serve offVariant DISABLED when killed, before targets and rules", () => {
    const rule = { name: "all", segments: [], conditions: [], variant: "on" };
    const flag = booleanFlag("f", { killSwitch: true, hasTargeting: true, targets: { u: "on" }, rules: [rule] });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "u" })).toMatchObject({
      variant: "off",
      reason: "DISABLED",
    });
  });

  it("still report an invalid context before the prepared answer", () => {
    const result = evaluate(snapshotOf(booleanFlag("f", { enabled: false })), "f", ["u"]);
    expect(result).toMatchObject({ reason: "ERROR", errorCode: "INVALID_CONTEXT" });
    expect(result.errorMessage).toBe("evaluation context must be an object, got an array");
  });
});

describe("the context check after warm-up with plain contexts", () => {
  class Session {
    plan = "premium";
  }

  it.each([
    ["an object with a non-plain prototype", Object.create({ plan: "premium" }) as unknown],
    ["a class instance", new Session()],
    ["a Map", new Map([["plan", "premium"]])],
  ])("rejects %s as INVALID_CONTEXT", (_name, context) => {
    const flag = booleanFlag("f");
    warmUp(flag);
    const result = evaluate(snapshotOf(flag), "f", context);
    expect(result).toMatchObject({
      errorCode: "INVALID_CONTEXT",
      errorMessage: "evaluation context must be a plain object of attributes",
    });
  });

  it("accepts a null-prototype context", () => {
    const flag = booleanFlag("f");
    warmUp(flag);
    const context = Object.assign(Object.create(null) as Record<string, unknown>, { targetingKey: "u" });
    expect(evaluate(snapshotOf(flag), "f", context)).toMatchObject({ reason: "STATIC" });
  });
});

describe("the targetingKey read", () => {
  const rollout = stringFlag("r", {
    hasTargeting: true,
    rollout: { kind: "percentage", strategy: "percentage", percentage: 50, bucketBy: "targetingKey", salt: "r" },
  });

  it("ignores a targetingKey on a polluted Object.prototype, for rollouts and targets", () => {
    warmUp(rollout);
    const targeted = booleanFlag("t", { defaultVariant: "off", hasTargeting: true, targets: { polluted: "on" } });
    const proto = Object.prototype as Record<string, unknown>;
    proto.targetingKey = "polluted";
    try {
      const result = evaluate(snapshotOf(rollout), "r", { plan: "premium" });
      expect(result).toMatchObject({ errorCode: "TARGETING_KEY_MISSING" });
      expect(evaluate(snapshotOf(targeted), "t", { plan: "premium" })).toMatchObject({
        variant: "off",
        reason: "DEFAULT",
      });
      expect(evaluate(snapshotOf(targeted), "t", { targetingKey: "polluted" })).toMatchObject({ variant: "on" });
    } finally {
      delete proto.targetingKey;
    }
    expect(evaluate(snapshotOf(rollout), "r", { plan: "premium" })).toMatchObject({
      errorCode: "TARGETING_KEY_MISSING",
    });
  });

  it("buckets a context's own targetingKey the same with and without a polluted Object.prototype", () => {
    warmUp(rollout);
    const before = evaluate(snapshotOf(rollout), "r", { targetingKey: "user-7" });
    const proto = Object.prototype as Record<string, unknown>;
    proto.targetingKey = "polluted";
    try {
      expect(evaluate(snapshotOf(rollout), "r", { targetingKey: "user-7" })).toEqual(before);
    } finally {
      delete proto.targetingKey;
    }
  });
});
