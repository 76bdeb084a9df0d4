import { describe, expect, it } from "vitest";
import { analyzeExperiment, holmAdjust, sampleRatioMismatch } from "../../../core/statistics/index.ts";
import { conversion, exposures, numeric, spec } from "./helpers.ts";

describe("analyzeExperiment: definitions", () => {
  it("computes rate, lift and the delta-method interval exactly as defined", () => {
    const rows = [conversion("control", 1000, 100), conversion("treatment", 1000, 120)];
    const analysis = analyzeExperiment(spec(), { exposuresByVariant: exposures(rows), metrics: { purchase: rows } });
    const [control, treatment] = analysis.results.purchase!;
    expect(control).toEqual({ variant: "control", exposures: 1000, conversions: 100, rate: 0.1 });
    expect(treatment!.rate).toBeCloseTo(0.12, 12);
    expect(treatment!.lift).toBeCloseTo(0.2, 12);
    // se² = var_v/(n_v·r_c²) + r_v²·var_c/(n_c·r_c⁴)
    const se = Math.sqrt((0.12 * 0.88) / (1000 * 0.01) + (0.0144 * 0.09) / (1000 * 0.0001));
    expect(treatment!.liftInterval![0]).toBeCloseTo(0.2 - 1.959963984540054 * se, 10);
    expect(treatment!.liftInterval![1]).toBeCloseTo(0.2 + 1.959963984540054 * se, 10);
  });

  it("counts users without values as 0 in a numeric metric's mean", () => {
    const metrics = [{ name: "revenue", event: "order", type: "numeric" as const, goal: "increase" as const }];
    const rows = [numeric("control", 4, [10, 30]), numeric("treatment", 4, [20, 20, 20])];
    const analysis = analyzeExperiment(spec({ metrics }), { exposuresByVariant: {}, metrics: { revenue: rows } });
    expect(analysis.results.revenue!.map((r) => r.rate)).toEqual([10, 15]);
    expect(analysis.results.revenue!.map((r) => r.conversions)).toEqual([2, 3]);
  });

  it("flips chance to beat control for a decrease goal but keeps the lift's sign", () => {
    const rows = [conversion("control", 5000, 500), conversion("treatment", 5000, 450)];
    const up = analyzeExperiment(spec(), { exposuresByVariant: exposures(rows), metrics: { purchase: rows } });
    const metrics = [{ name: "purchase", event: "purchase", type: "conversion" as const, goal: "decrease" as const }];
    const down = analyzeExperiment(spec({ metrics }), {
      exposuresByVariant: exposures(rows),
      metrics: { purchase: rows },
    });
    const a = up.results.purchase![1]!;
    const b = down.results.purchase![1]!;
    expect(a.lift).toBeCloseTo(-0.1, 12);
    expect(b.lift).toBe(a.lift);
    expect(a.chanceToBeatControl! + b.chanceToBeatControl!).toBeCloseTo(1, 9);
    expect(b.chanceToBeatControl!).toBeGreaterThan(0.9);
  });

  it("puts the control first and then the variants in spec order, whatever order the store returns", () => {
    const three = spec({
      variants: [
        { variant: "b", weight: 1 },
        { variant: "control", weight: 1 },
        { variant: "a", weight: 1 },
      ],
    });
    const rows = [conversion("a", 10, 1), conversion("control", 10, 2), conversion("b", 10, 3)];
    const analysis = analyzeExperiment(three, { exposuresByVariant: {}, metrics: { purchase: rows } });
    expect(analysis.results.purchase!.map((r) => r.variant)).toEqual(["control", "b", "a"]);
  });
});

describe("analyzeExperiment: degenerate inputs are defined", () => {
  it("reports zero exposures as rate 0 with no comparison and NotEnoughData", () => {
    const analysis = analyzeExperiment(spec(), { exposuresByVariant: {}, metrics: {} });
    expect(analysis.results.purchase).toEqual([
      { variant: "control", exposures: 0, conversions: 0, rate: 0 },
      { variant: "treatment", exposures: 0, conversions: 0, rate: 0 },
    ]);
    expect(analysis.sampleRatioMismatch).toEqual({ pValue: 1, detected: false });
    expect(analysis.recommendation.action).toBe("NotEnoughData");
    expect(analysis.leadingVariant).toBeUndefined();
  });

  it("omits the lift when the control rate is 0 but still gives the chance to beat it", () => {
    const rows = [conversion("control", 100, 0), conversion("treatment", 100, 5)];
    const row = analyzeExperiment(spec({ minimumSamples: 0 }), {
      exposuresByVariant: exposures(rows),
      metrics: { purchase: rows },
    }).results.purchase![1]!;
    expect(row.lift).toBeUndefined();
    expect(row.pValue).toBeUndefined();
    expect(row.chanceToBeatControl).toBeGreaterThan(0.97);
  });

  it("gives a point interval and p = 0 when identical numeric values differ only between variants", () => {
    const metrics = [{ name: "revenue", event: "order", type: "numeric" as const, goal: "increase" as const }];
    const rows = [numeric("control", 3, [5, 5, 5]), numeric("treatment", 3, [6, 6, 6])];
    const row = analyzeExperiment(spec({ metrics }), { exposuresByVariant: {}, metrics: { revenue: rows } }).results
      .revenue![1]!;
    expect(row.lift).toBeCloseTo(0.2, 12);
    expect(row.liftInterval).toEqual([row.lift, row.lift]);
    expect(row.pValue).toBe(0);
    expect(row.sequentialPValue).toBe(0);
    expect(row.chanceToBeatControl).toBe(1);
  });

  it("makes no comparison with a single user per variant", () => {
    const rows = [conversion("control", 1, 1), conversion("treatment", 1, 0)];
    const row = analyzeExperiment(spec(), { exposuresByVariant: {}, metrics: { purchase: rows } }).results
      .purchase![1]!;
    expect(row).toEqual({ variant: "treatment", exposures: 1, conversions: 0, rate: 0 });
  });

  it("treats negative, fractional and non-finite counts from a store as sanitised numbers", () => {
    const rows = [
      { variant: "control", exposures: Number.NaN, conversions: -3, sum: Infinity, sumOfSquares: 1 },
      { variant: "treatment", exposures: 10.7, conversions: 20, sum: 1, sumOfSquares: 1 },
    ];
    const analysis = analyzeExperiment(spec(), { exposuresByVariant: {}, metrics: { purchase: rows } });
    expect(analysis.results.purchase!.map((r) => [r.exposures, r.conversions])).toEqual([
      [0, 0],
      [10, 10],
    ]);
    expect(JSON.stringify(analysis)).not.toMatch(/NaN|Infinity|null/);
  });

  it("reads a metric named __proto__ as data, not as the object's prototype", () => {
    const metrics = [{ name: "__proto__", event: "x", type: "conversion" as const, goal: "increase" as const }];
    const rows = [conversion("control", 10, 1)];
    const analysis = analyzeExperiment(spec({ metrics }), {
      exposuresByVariant: {},
      metrics: JSON.parse(`{"__proto__": ${JSON.stringify(rows)}}`),
    });
    expect(Object.hasOwn(analysis.results, "__proto__")).toBe(true);
    expect(analysis.results["__proto__"]![0]!.exposures).toBe(10);
  });
});

describe("sample ratio mismatch", () => {
  it("detects a split far from the weights at p < 0.001 and accepts one close to them", () => {
    const variants = spec().variants;
    expect(sampleRatioMismatch(variants, { control: 5000, treatment: 5100 }).detected).toBe(false);
    const broken = sampleRatioMismatch(variants, { control: 5000, treatment: 5400 });
    expect(broken.detected).toBe(true);
    expect(broken.pValue).toBeLessThan(0.001);
  });

  it("flags exposures of a variant whose weight is 0", () => {
    const variants = [
      { variant: "control", weight: 1 },
      { variant: "treatment", weight: 0 },
    ];
    expect(sampleRatioMismatch(variants, { control: 10, treatment: 1 })).toEqual({ pValue: 0, detected: true });
  });

  it("overrides every other recommendation", () => {
    const rows = [conversion("control", 5000, 1000), conversion("treatment", 6000, 1500)];
    const analysis = analyzeExperiment(spec(), { exposuresByVariant: exposures(rows), metrics: { purchase: rows } });
    expect(analysis.recommendation.action).toBe("SampleRatioMismatch");
  });
});

describe("Holm correction", () => {
  it("adjusts p-values step-down and keeps them monotone", () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holmAdjust([0.5, 0.001])).toEqual([0.5, 0.002]);
    expect(holmAdjust([])).toEqual([]);
  });
});
