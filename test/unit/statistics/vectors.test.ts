// Runs test/vectors/statistics.json: expected values computed independently with scipy and
// statsmodels (test/vectors/generators/gen_statistics.py). Numbers match to 1e-6 (relative above 1).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../core/schema/index.ts";
import { analyzeExperiment, type AnalyzeOptions, type ExperimentAggregates } from "../../../core/statistics/index.ts";

interface VectorCase {
  name: string;
  spec: ExperimentSpec;
  aggregates: ExperimentAggregates;
  options: AnalyzeOptions;
  expected: {
    phase: string;
    results: Record<string, Record<string, unknown>[]>;
    sampleRatioMismatch: { pValue: number; detected: boolean };
    recommendation: { action: string; variant?: string; usersNeeded?: number };
    leadingVariant?: Record<string, unknown>;
  };
}

const file = JSON.parse(readFileSync(new URL("../../vectors/statistics.json", import.meta.url), "utf8")) as {
  cases: VectorCase[];
};
const TOLERANCE = 1e-6;

/** Deep comparison where numbers may differ by 1e-6 (relative once above 1). */
function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    const diff = Math.abs((actual as number) - expected);
    expect(diff, `${path}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(
      TOLERANCE * Math.max(1, Math.abs(expected)),
    );
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    const a = actual as Record<string, unknown>;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectClose(a[key], value, `${path}.${key}`);
    return;
  }
  expect(actual, path).toBe(expected);
}

describe("statistics vectors (scipy/statsmodels)", () => {
  it("has cases for every recommendation, both metric types, both goals and 2-4 variants", () => {
    const actions = new Set(file.cases.map((c) => c.expected.recommendation.action));
    expect([...actions].sort()).toEqual(
      ["KeepControl", "KeepRunning", "NoDifference", "NotEnoughData", "SampleRatioMismatch", "ShipVariant"].sort(),
    );
    const metrics = file.cases.flatMap((c) => c.spec.metrics);
    expect(new Set(metrics.map((m) => `${m.type}/${m.goal}`))).toEqual(
      new Set(["conversion/increase", "conversion/decrease", "numeric/increase", "numeric/decrease"]),
    );
    expect(new Set(file.cases.map((c) => c.spec.variants.length))).toEqual(new Set([2, 3, 4]));
  });

  it.each(file.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const actual = analyzeExperiment(c.spec, c.aggregates, c.options);
    expect(actual.phase).toBe(c.expected.phase);
    expectClose(actual.results, c.expected.results, "results");
    expectClose(actual.sampleRatioMismatch, c.expected.sampleRatioMismatch, "sampleRatioMismatch");
    const { action, variant, usersNeeded } = actual.recommendation;
    expect({ action, variant, usersNeeded }).toEqual({
      action: c.expected.recommendation.action,
      variant: c.expected.recommendation.variant,
      usersNeeded: c.expected.recommendation.usersNeeded,
    });
    expectClose(actual.leadingVariant, c.expected.leadingVariant, "leadingVariant");
  });
});
