import { describe, expect, it } from "vitest";
import { OPERATORS } from "../../../core/schema/index.ts";
import {
  EvaluationContext,
  FlagType,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
  VexilError,
} from "../../../core/facade/index.ts";

describe("FlagType and TargetingOperator", () => {
  it("spell the values the YAML uses", () => {
    expect(FlagType).toEqual({ BOOLEAN: "boolean", STRING: "string", NUMBER: "number", JSON: "json" });
    expect(TargetingOperator.NOT_EQUALS).toBe("notEquals");
    expect(TargetingOperator.SEMVER_GREATER_THAN).toBe("semverGreaterThan");
  });

  it("cover every operator of the schema, classic and extended", () => {
    expect(Object.values(TargetingOperator).sort()).toEqual([...OPERATORS].sort());
  });
});

describe("TargetingRule", () => {
  it("turns a single value into a condition with one value", () => {
    const rule = new TargetingRule("plan", TargetingOperator.EQUALS, "premium");
    expect(rule.toCondition()).toEqual({ attribute: "plan", operator: "equals", values: ["premium"] });
  });

  it("keeps lists and the negate and caseInsensitive options", () => {
    const rule = new TargetingRule("country", TargetingOperator.IN, ["us", "uk"], {
      negate: true,
      caseInsensitive: true,
    });
    expect(rule.toCondition()).toEqual({
      attribute: "country",
      operator: "in",
      values: ["us", "uk"],
      negate: true,
      caseInsensitive: true,
    });
  });

  it("needs no value for exists", () => {
    expect(new TargetingRule("email", TargetingOperator.EXISTS).toCondition()).toEqual({
      attribute: "email",
      operator: "exists",
    });
  });

  it("rejects an unknown operator and lists the known ones", () => {
    expect(() => new TargetingRule("plan", "equal" as never, "x")).toThrowError(
      /unknown targeting operator "equal" \(did you mean "equals"\?\); use one of: equals, notEquals/,
    );
  });

  it("rejects an empty attribute", () => {
    expect(() => new TargetingRule("", TargetingOperator.EQUALS, "x")).toThrowError(VexilError);
  });
});

describe("Segment and Variant", () => {
  it("Segment defaults to match all and copies its inputs", () => {
    const rules = [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")];
    const segment = new Segment({ name: "premium-users", rules });
    rules.push(new TargetingRule("x", TargetingOperator.EXISTS));
    expect(segment.match).toBe("all");
    expect(segment.rules).toHaveLength(1);
  });

  it("Segment rejects rules that are not TargetingRule instances", () => {
    expect(() => new Segment({ name: "s", rules: [{ attribute: "a" } as never] })).toThrowError(
      'segment "s": rules must be TargetingRule instances',
    );
  });

  it("Variant needs a value", () => {
    expect(() => new Variant({ name: "blue" } as never)).toThrowError('variant "blue" needs a value');
  });
});

describe("EvaluationContext", () => {
  it("flattens to the OpenFeature shape with userId as targetingKey", () => {
    const context = new EvaluationContext({ userId: "user-1", attributes: { plan: "premium", age: 30 } });
    expect(context.toFlagContext()).toEqual({ targetingKey: "user-1", plan: "premium", age: 30 });
  });

  it("keeps an attribute named __proto__ as an own attribute", () => {
    const attributes = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    const flat = new EvaluationContext({ userId: "u", attributes }).toFlagContext();
    expect(Object.hasOwn(flat, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
  });
});
