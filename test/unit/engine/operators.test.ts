// Every operator, with negate and caseInsensitive, through evaluate (a one-rule flag).
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { Condition } from "../../../core/schema/index.ts";
import { conditionFlag } from "./fixtures.ts";

function holds(condition: Condition, context: Record<string, unknown>): boolean {
  const result = evaluate(conditionFlag(condition), "gate", context);
  expect(result.errorCode).toBeUndefined();
  return result.variant === "on";
}

const c = (
  operator: Condition["operator"],
  values: (string | number)[],
  extra: Partial<Condition> = {},
): Condition => ({
  attribute: "a",
  operator,
  values,
  ...extra,
});

describe("equality operators", () => {
  it("equals holds when the attribute equals any value", () => {
    expect(holds(c("equals", ["UK", "US"]), { a: "US" })).toBe(true);
    expect(holds(c("equals", ["UK", "US"]), { a: "us" })).toBe(false);
    expect(holds(c("equals", ["UK", "US"], { caseInsensitive: true }), { a: "us" })).toBe(true);
    expect(holds(c("equals", ["uk"], { negate: true }), { a: "uk" })).toBe(false);
  });

  it("in is equals-any and notIn is its opposite", () => {
    expect(holds(c("in", ["US", "UK", "CA"]), { a: "CA" })).toBe(true);
    expect(holds(c("notIn", ["US", "UK", "CA"]), { a: "CA" })).toBe(false);
    expect(holds(c("notIn", ["US", "UK", "CA"]), { a: "FR" })).toBe(true);
    expect(holds(c("notIn", ["us"], { caseInsensitive: true }), { a: "US" })).toBe(false);
    expect(holds(c("notIn", ["US"], { negate: true }), { a: "FR" })).toBe(false);
  });

  it("notEquals holds when no value equals the attribute", () => {
    expect(holds(c("notEquals", ["a", "b"]), { a: "c" })).toBe(true);
    expect(holds(c("notEquals", ["a", "b"]), { a: "b" })).toBe(false);
    expect(holds(c("notEquals", ["B"], { caseInsensitive: true }), { a: "b" })).toBe(false);
    expect(holds(c("notEquals", ["a"], { negate: true }), { a: "c" })).toBe(false);
  });

  it("compares numbers with numbers and numeric strings, but strings numerically only with number values", () => {
    expect(holds(c("equals", [42]), { a: 42 })).toBe(true);
    expect(holds(c("equals", ["42"]), { a: 42 })).toBe(true);
    expect(holds(c("equals", [42]), { a: "42.0" })).toBe(true);
    expect(holds(c("equals", ["1.1"]), { a: "1.10" })).toBe(false);
    expect(holds(c("equals", ["true"]), { a: true })).toBe(true);
    expect(holds(c("equals", ["true"]), { a: false })).toBe(false);
  });

  it("matches an array attribute when any element matches (notEquals when none does)", () => {
    expect(holds(c("in", ["admin"]), { a: ["user", "admin"] })).toBe(true);
    expect(holds(c("notIn", ["admin"]), { a: ["user", "admin"] })).toBe(false);
    expect(holds(c("notIn", ["admin"]), { a: ["user"] })).toBe(true);
  });
});

describe("string operators", () => {
  it("contains holds for a substring of a string attribute", () => {
    expect(holds(c("contains", ["@example.com"]), { a: "jo@example.com" })).toBe(true);
    expect(holds(c("contains", ["@EXAMPLE.com"]), { a: "jo@example.com" })).toBe(false);
    expect(holds(c("contains", ["@EXAMPLE.com"], { caseInsensitive: true }), { a: "jo@Example.COM" })).toBe(true);
    expect(holds(c("contains", ["@example.com"], { negate: true }), { a: "jo@example.com" })).toBe(false);
  });

  it("contains holds for an array attribute holding the value as an element", () => {
    expect(holds(c("contains", ["beta"]), { a: ["alpha", "beta"] })).toBe(true);
    expect(holds(c("contains", ["bet"]), { a: ["alpha", "beta"] })).toBe(false);
    expect(holds(c("contains", ["BETA"], { caseInsensitive: true }), { a: ["beta"] })).toBe(true);
  });

  it("notContains holds when no value is contained", () => {
    expect(holds(c("notContains", ["test"]), { a: "production" })).toBe(true);
    expect(holds(c("notContains", ["test"]), { a: "my-test-env" })).toBe(false);
    expect(holds(c("notContains", ["TEST"], { caseInsensitive: true }), { a: "my-test-env" })).toBe(false);
    expect(holds(c("notContains", ["beta"]), { a: ["alpha", "beta"] })).toBe(false);
    expect(holds(c("notContains", ["test"], { negate: true }), { a: "production" })).toBe(false);
  });

  it("startsWith and endsWith test prefixes and suffixes", () => {
    expect(holds(c("startsWith", ["user-", "admin-"]), { a: "admin-7" })).toBe(true);
    expect(holds(c("startsWith", ["USER-"]), { a: "user-7" })).toBe(false);
    expect(holds(c("startsWith", ["USER-"], { caseInsensitive: true }), { a: "user-7" })).toBe(true);
    expect(holds(c("startsWith", ["user-"], { negate: true }), { a: "user-7" })).toBe(false);
    expect(holds(c("endsWith", [".de", ".fr"]), { a: "shop.fr" })).toBe(true);
    expect(holds(c("endsWith", [".DE"]), { a: "shop.de" })).toBe(false);
    expect(holds(c("endsWith", [".DE"], { caseInsensitive: true }), { a: "shop.de" })).toBe(true);
    expect(holds(c("endsWith", [".de"], { negate: true }), { a: "shop.fr" })).toBe(true);
  });

  it("regex searches the attribute with RE2 syntax", () => {
    expect(holds(c("regex", ["^user-[0-9]+$"]), { a: "user-123" })).toBe(true);
    expect(holds(c("regex", ["^user-[0-9]+$"]), { a: "user-12a" })).toBe(false);
    expect(holds(c("regex", ["example"]), { a: "jo@example.com" })).toBe(true);
    expect(holds(c("regex", ["^USER"]), { a: "user-1" })).toBe(false);
    expect(holds(c("regex", ["^USER"], { caseInsensitive: true }), { a: "user-1" })).toBe(true);
    expect(holds(c("regex", ["^user"], { negate: true }), { a: "user-1" })).toBe(false);
  });

  it("regex with an invalid pattern never matches (compile rejects it earlier)", () => {
    expect(holds(c("regex", ["(unclosed"]), { a: "(unclosed" })).toBe(false);
    expect(holds(c("regex", ["(unclosed", "^ok$"]), { a: "ok" })).toBe(true);
  });

  it("string operators do not match non-string attributes", () => {
    expect(holds(c("contains", ["4"]), { a: 42 })).toBe(false);
    expect(holds(c("startsWith", ["t"]), { a: true })).toBe(false);
    expect(holds(c("regex", [".*"]), { a: { nested: "x" } })).toBe(false);
  });
});

describe("numeric operators", () => {
  it("compare numbers and numeric strings against any value", () => {
    expect(holds(c("greaterThan", [18]), { a: 21 })).toBe(true);
    expect(holds(c("greaterThan", [18]), { a: 18 })).toBe(false);
    expect(holds(c("greaterThan", ["18"]), { a: "18.5" })).toBe(true);
    expect(holds(c("greaterThanOrEqual", [18]), { a: 18 })).toBe(true);
    expect(holds(c("lessThan", [10, 100]), { a: 50 })).toBe(true);
    expect(holds(c("lessThan", [10]), { a: 10 })).toBe(false);
    expect(holds(c("lessThanOrEqual", [10]), { a: "1e1" })).toBe(true);
    expect(holds(c("greaterThan", [18], { negate: true }), { a: 21 })).toBe(false);
  });

  it("never match non-numeric attributes or values", () => {
    expect(holds(c("greaterThan", [1]), { a: "lots" })).toBe(false);
    expect(holds(c("greaterThan", [1]), { a: "" })).toBe(false);
    expect(holds(c("greaterThan", [1]), { a: true })).toBe(false);
    expect(holds(c("lessThan", ["ten"]), { a: 1 })).toBe(false);
  });
});

describe("semver operators", () => {
  it("compare semantic versions, accepting a leading v", () => {
    expect(holds(c("semverEquals", ["1.2.3"]), { a: "v1.2.3" })).toBe(true);
    expect(holds(c("semverGreaterThan", ["1.9.0"]), { a: "1.10.0" })).toBe(true);
    expect(holds(c("semverGreaterThan", ["2.0.0"]), { a: "2.0.0-rc.1" })).toBe(false);
    expect(holds(c("semverLessThan", ["2.0.0"]), { a: "2.0.0-rc.1" })).toBe(true);
    expect(holds(c("semverLessThan", ["2.0.0"], { negate: true }), { a: "1.0.0" })).toBe(false);
  });

  it("never match invalid versions", () => {
    expect(holds(c("semverEquals", ["1.2"]), { a: "1.2" })).toBe(false);
    expect(holds(c("semverLessThan", ["2.0.0"]), { a: "latest" })).toBe(false);
    expect(holds(c("semverLessThan", ["2.0.0"]), { a: 1 })).toBe(false);
  });
});

describe("date operators", () => {
  const launch = "2026-11-24T09:00:00Z";
  it("before and after compare ISO strings, epoch milliseconds and Dates", () => {
    expect(holds(c("before", [launch]), { a: "2026-11-24T08:59:59Z" })).toBe(true);
    expect(holds(c("before", [launch]), { a: launch })).toBe(false);
    expect(holds(c("after", [launch]), { a: "2026-11-24T10:00:00+01:00" })).toBe(false);
    expect(holds(c("after", [launch]), { a: Date.parse(launch) + 1 })).toBe(true);
    expect(holds(c("after", [Date.parse(launch)]), { a: new Date(Date.parse(launch) + 1) as never })).toBe(true);
    expect(holds(c("after", ["2026-11-24"]), { a: "2026-11-24T00:00:01Z" })).toBe(true);
    expect(holds(c("before", [launch], { negate: true }), { a: "2020-01-01" })).toBe(false);
  });

  it("never match strings that are not ISO dates with an explicit offset", () => {
    expect(holds(c("before", [launch]), { a: "November 1, 2020" })).toBe(false);
    expect(holds(c("before", [launch]), { a: "2020-01-01T00:00:00" })).toBe(false);
    expect(holds(c("before", [launch]), { a: "2020-13-45" })).toBe(false);
  });
});

describe("exists and missing attributes", () => {
  it("exists holds for any present, non-null attribute and ignores values", () => {
    expect(holds({ attribute: "a", operator: "exists" }, { a: "" })).toBe(true);
    expect(holds({ attribute: "a", operator: "exists", values: ["ignored"] }, { a: 0 })).toBe(true);
    expect(holds({ attribute: "a", operator: "exists" }, { a: null })).toBe(false);
    expect(holds({ attribute: "a", operator: "exists" }, {})).toBe(false);
    expect(holds({ attribute: "a", operator: "exists", negate: true }, {})).toBe(true);
  });

  it("a missing attribute fails every operator, notX included, and negate inverts that", () => {
    expect(holds(c("notEquals", ["x"]), {})).toBe(false);
    expect(holds(c("notIn", ["x"]), { a: null })).toBe(false);
    expect(holds(c("equals", ["x"], { negate: true }), {})).toBe(true);
  });
});
