// Segment membership inside rule matchers.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { Condition } from "../../../core/schema/index.ts";
import type { CompiledSegment } from "../../../core/snapshot/snapshot.ts";
import { booleanFlag, segment, snapshotOf } from "./fixtures.ts";

function member(seg: CompiledSegment, context: Record<string, unknown>): boolean {
  const flag = booleanFlag("f", {
    defaultVariant: "off",
    hasTargeting: true,
    rules: [{ name: "r", segments: [seg], conditions: [], variant: "on" }],
  });
  return evaluate(snapshotOf(flag), "f", context).variant === "on";
}

const premium: Condition = { attribute: "plan", operator: "equals", values: ["premium"] };
const uk: Condition = { attribute: "country", operator: "equals", values: ["UK"] };

describe("segments", () => {
  it("include listed keys regardless of conditions", () => {
    expect(member(segment("s", { included: ["user-1"], conditions: [premium] }), { targetingKey: "user-1" })).toBe(
      true,
    );
  });

  it("exclude listed keys even when included or matching", () => {
    const seg = segment("s", { included: ["user-1"], excluded: ["user-1"], conditions: [premium] });
    expect(member(seg, { targetingKey: "user-1", plan: "premium" })).toBe(false);
  });

  it("compare included/excluded with the segment's key attribute", () => {
    const seg = segment("s", { key: "email", included: ["jo@example.com"] });
    expect(member(seg, { targetingKey: "jo@example.com" })).toBe(false);
    expect(member(seg, { email: "jo@example.com" })).toBe(true);
  });

  it("with match all need every condition", () => {
    const seg = segment("s", { conditions: [premium, uk] });
    expect(member(seg, { plan: "premium", country: "UK" })).toBe(true);
    expect(member(seg, { plan: "premium", country: "FR" })).toBe(false);
  });

  it("with match any need one condition", () => {
    const seg = segment("s", { match: "any", conditions: [premium, uk] });
    expect(member(seg, { plan: "free", country: "UK" })).toBe(true);
    expect(member(seg, { plan: "free", country: "FR" })).toBe(false);
  });

  it("without conditions contain only their included keys", () => {
    expect(member(segment("s", { included: ["user-1"] }), { targetingKey: "user-2" })).toBe(false);
    expect(member(segment("s"), { targetingKey: "user-2" })).toBe(false);
  });

  it("must all match for a rule listing several, together with the rule's conditions", () => {
    const flag = booleanFlag("f", {
      defaultVariant: "off",
      hasTargeting: true,
      rules: [
        {
          name: "r",
          segments: [segment("a", { conditions: [premium] }), segment("b", { conditions: [uk] })],
          conditions: [{ attribute: "age", operator: "greaterThan", values: [18] }],
          variant: "on",
        },
      ],
    });
    expect(evaluate(snapshotOf(flag), "f", { plan: "premium", country: "UK", age: 30 }).variant).toBe("on");
    expect(evaluate(snapshotOf(flag), "f", { plan: "premium", country: "UK", age: 10 }).variant).toBe("off");
    expect(evaluate(snapshotOf(flag), "f", { plan: "premium", country: "FR", age: 30 }).variant).toBe("off");
  });
});
