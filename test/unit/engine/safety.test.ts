// Hostile input: prototype names as attributes, catastrophic regexes, caching of prepared snapshots.
import { MAX_REGEX_INPUT_LENGTH } from "../../../core/limits.ts";
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
  it("evaluate the catastrophic pattern (a+)+$ on the longest input a regex reads in linear time", () => {
    const snapshot = conditionFlag({ attribute: "a", operator: "regex", values: ["(a+)+$"] });
    const input = `${"a".repeat(MAX_REGEX_INPUT_LENGTH - 1)}!`;
    const started = performance.now();
    const result = evaluate(snapshot, "gate", { a: input });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.variant).toBe("off");
    expect(evaluate(snapshot, "gate", { a: "a".repeat(MAX_REGEX_INPUT_LENGTH) }).variant).toBe("on");
  });

  it(`do not match an attribute longer than ${MAX_REGEX_INPUT_LENGTH} characters, nor arrays adding up to more`, () => {
    const snapshot = conditionFlag({ attribute: "a", operator: "regex", values: ["a"] });
    const started = performance.now();
    expect(evaluate(snapshot, "gate", { a: "a".repeat(100_000) }).variant).toBe("off");
    expect(performance.now() - started).toBeLessThan(50);
    const half = "a".repeat(MAX_REGEX_INPUT_LENGTH / 2);
    expect(evaluate(snapshot, "gate", { a: [half, half] }).variant).toBe("on");
    expect(evaluate(snapshot, "gate", { a: [half, half, "a"] }).variant).toBe("off");
    const negated = conditionFlag({ attribute: "a", operator: "regex", values: ["b"], negate: true });
    expect(evaluate(negated, "gate", { a: "a".repeat(100_000) }).variant).toBe("on");
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

describe("attributes are read by the readers every SDK shares (test/vectors)", () => {
  it("a numeric string that overflows reads as infinity, as in every SDK; the string Infinity is not numeric", () => {
    const greater = conditionFlag({ attribute: "score", operator: "greaterThan", values: [10] });
    expect(evaluate(greater, "gate", { score: "1e308" }).variant).toBe("on");
    expect(evaluate(greater, "gate", { score: "1e309" }).variant).toBe("on");
    expect(evaluate(greater, "gate", { score: "Infinity" }).variant).toBe("off");
  });
});
