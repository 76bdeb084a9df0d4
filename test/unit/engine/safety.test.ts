// Hostile input: prototype names as attributes, catastrophic regexes, caching of prepared snapshots.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { booleanFlag, conditionFlag, segment, snapshotOf } from "./fixtures.ts";

describe("attribute lookup", () => {
  it("treats __proto__, constructor and toString as plain attribute names", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const snapshot = conditionFlag({ attribute: name, operator: "exists" });
      expect(evaluate(snapshot, "gate", {}).variant).toBe("off");
      expect(evaluate(snapshot, "gate", JSON.parse(`{"${name}": "x"}`)).variant).toBe("on");
    }
  });

  it("does not read inherited properties of the context", () => {
    const context = Object.create({ plan: "premium" }) as Record<string, unknown>;
    const snapshot = conditionFlag({ attribute: "plan", operator: "equals", values: ["premium"] });
    expect(evaluate(snapshot, "gate", { plan: "premium" }).variant).toBe("on");
    expect(evaluate(snapshot, "gate", context).errorCode).toBe("INVALID_CONTEXT");
  });

  it("matches a targets entry keyed __proto__ only for that exact targetingKey", () => {
    const flag = booleanFlag("f", {
      defaultVariant: "off",
      hasTargeting: true,
      targets: JSON.parse('{"__proto__": "on"}'),
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "__proto__" }).variant).toBe("on");
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "constructor" }).variant).toBe("off");
  });

  it("segments keyed by __proto__ include nobody by accident", () => {
    const seg = segment("s", { key: "__proto__", included: ["[object Object]"] });
    const flag = booleanFlag("f", {
      defaultVariant: "off",
      hasTargeting: true,
      rules: [{ name: "r", segments: [seg], conditions: [], variant: "on" }],
    });
    expect(evaluate(snapshotOf(flag), "f", {}).variant).toBe("off");
  });
});

describe("regular expressions", () => {
  it("evaluate the catastrophic pattern (a+)+$ on a 50 000-character input in linear time", () => {
    const snapshot = conditionFlag({ attribute: "a", operator: "regex", values: ["(a+)+$"] });
    const input = `${"a".repeat(50_000)}!`;
    const started = performance.now();
    const result = evaluate(snapshot, "gate", { a: input });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.variant).toBe("off");
    expect(evaluate(snapshot, "gate", { a: "a".repeat(50_000) }).variant).toBe("on");
  });
});

describe("prepared snapshots", () => {
  it("serve later evaluations of the same snapshot from the prepared form", () => {
    const flag = booleanFlag("f", { hasTargeting: true, targets: { "user-1": "off" } });
    const snapshot = snapshotOf(flag);
    expect(evaluate(snapshot, "f", { targetingKey: "user-1" }).variant).toBe("off");
    // Snapshots are immutable: a later edit of the raw object is not seen by the prepared form.
    flag.targets["user-1"] = "on";
    expect(evaluate(snapshot, "f", { targetingKey: "user-1" }).variant).toBe("off");
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-1" }).variant).toBe("on");
  });

  it("share frozen metadata between results", () => {
    const snapshot = snapshotOf(booleanFlag("f", { metadata: { owner: "shop" } }));
    const result = evaluate(snapshot, "f", {});
    expect(result.metadata).toEqual({ owner: "shop" });
    expect(Object.isFrozen(result.metadata)).toBe(true);
  });
});
