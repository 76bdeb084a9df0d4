// The guardrail test on its own: expected intervals were computed independently (Python's math
// module, the margin and the confidence-sequence width written out from docs/experiments.md).
import { describe, expect, it } from "vitest";
import type { GuardrailMetricSpec } from "../../../core/schema/guardrails.ts";
import { checkGuardrail, guardVerdict, INSIDE, OUTSIDE } from "../../../core/statistics/guardrails.ts";

const errors: GuardrailMetricSpec = { event: "checkout_error", goal: "decrease", maxRegression: 10 };
const rows = (inside: [number, number], outside: [number, number]) => [
  { variant: INSIDE, exposures: inside[0], conversions: inside[1], sum: inside[1], sumOfSquares: inside[1] },
  { variant: OUTSIDE, exposures: outside[0], conversions: outside[1], sum: outside[1], sumOfSquares: outside[1] },
];

describe("checkGuardrail", () => {
  it("finds a regression when the whole always-valid interval of the margin is above 0", () => {
    const check = checkGuardrail(errors, rows([100, 30], [400, 8]));
    expect(check.margin?.[0]).toBeCloseTo(0.0988627000745, 10);
    expect(check.margin?.[1]).toBeCloseTo(0.4571372999255, 10);
    expect(check.regressed).toBe(true);
    expect(check.change).toBeCloseTo(14, 10); // 30 % against 2 %: +1400 %
  });

  it("stays defined when nobody outside had the event (an error rate of 0 outside)", () => {
    const few = checkGuardrail({ ...errors, maxRegression: 0 }, rows([200, 12], [800, 0]));
    expect(few.margin?.[0]).toBeCloseTo(0.0035107190864, 10);
    expect(few.change).toBeUndefined();
    expect(few.regressed).toBe(true);
    const none = checkGuardrail(errors, rows([100, 0], [400, 0]));
    expect(none.margin).toEqual([0, 0]);
    expect(none.regressed).toBe(false);
  });

  it("tolerates a regression within maxRegression and an insignificant one beyond it", () => {
    // purchases (goal increase) 10 % inside against 20 % outside, 10 % tolerated, 300 users each
    const purchases: GuardrailMetricSpec = { event: "purchase", goal: "increase", maxRegression: 10 };
    const check = checkGuardrail(purchases, rows([300, 30], [300, 60]));
    expect(check.margin?.[0]).toBeCloseTo(-0.0199748113466, 10);
    expect(check.regressed).toBe(false);
    expect(checkGuardrail(errors, rows([1000, 21], [1000, 20])).regressed).toBe(false);
  });

  it("decides nothing before each side has its minimum users", () => {
    const check = checkGuardrail({ ...errors, minimumSamples: 500 }, rows([100, 30], [400, 8]));
    expect(check).toMatchObject({ enoughSamples: false, regressed: false, minimumSamples: 500 });
    expect(checkGuardrail(errors, rows([100, 30], [400, 8]), 50).minimumSamples).toBe(50);
    expect(checkGuardrail(errors, rows([1, 1], [1, 0]), 1).margin).toBeUndefined();
  });

  it("compares means per user for numeric metrics", () => {
    const latency: GuardrailMetricSpec = { event: "latency_ms", type: "numeric", goal: "decrease", maxRegression: 5 };
    // 200 users each; inside every user 300 ms, outside every user 100 ms: no variance, certain regression
    const numeric = [
      { variant: INSIDE, exposures: 200, conversions: 200, sum: 60_000, sumOfSquares: 200 * 300 * 300 },
      { variant: OUTSIDE, exposures: 200, conversions: 200, sum: 20_000, sumOfSquares: 200 * 100 * 100 },
    ];
    const check = checkGuardrail(latency, numeric);
    expect(check.inside.value).toBe(300);
    expect(check.outside.value).toBe(100);
    expect(check.margin).toEqual([195, 195]);
    expect(check.regressed).toBe(true);
  });
});

describe("guardVerdict", () => {
  it("rolls back on the first metric that regressed, else waits for the metric furthest from its minimum", () => {
    const bad = checkGuardrail(errors, rows([100, 30], [400, 8]));
    const short = checkGuardrail(
      { event: "purchase", goal: "increase", minimumSamples: 1000 },
      rows([100, 5], [400, 20]),
    );
    const fine = checkGuardrail({ event: "refund", goal: "decrease" }, rows([100, 1], [400, 4]));
    expect(guardVerdict([fine, bad, short])).toMatchObject({
      verdict: "Regressed",
      regressed: { event: "checkout_error" },
    });
    expect(guardVerdict([fine, short])).toMatchObject({ verdict: "Collecting", short: { event: "purchase" } });
    expect(guardVerdict([fine])).toMatchObject({ verdict: "Healthy" });
  });
});
