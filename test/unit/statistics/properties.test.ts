// Properties of the analysis over arbitrary (including absurd) aggregates: it never throws,
// probabilities stay in [0, 1], intervals contain their estimate, and swapping roles is symmetric.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExperimentPhase, MetricVariantAggregate, VariantResult } from "../../../core/statistics/index.ts";
import { analyzeExperiment, sampleRatioMismatch } from "../../../core/statistics/index.ts";
import { conversion, spec } from "./helpers.ts";

const RUNS = 300;

/** A conversion row: x conversions among n users. */
const conversionRow = (variant: string) =>
  fc
    .tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([n, share]) => conversion(variant, n, Math.floor(n * share)));

/** A numeric row: any sums, including impossible ones (sum² > n·Σv²) a broken store could send. */
const numericRow = (variant: string) =>
  fc.record({
    variant: fc.constant(variant),
    exposures: fc.integer({ min: 0, max: 1_000_000 }),
    conversions: fc.integer({ min: 0, max: 1_000_000 }),
    sum: fc.double({ min: -1e12, max: 1e12, noNaN: true }),
    sumOfSquares: fc.double({ min: 0, max: 1e15, noNaN: true }),
  });

const anyRow = (variant: string): fc.Arbitrary<MetricVariantAggregate> =>
  fc.oneof(
    conversionRow(variant),
    numericRow(variant),
    fc.record({
      variant: fc.constant(variant),
      exposures: fc.double(),
      conversions: fc.double(),
      sum: fc.double(),
      sumOfSquares: fc.double(),
    }),
  );

const phase = fc.constantFrom<ExperimentPhase>("Pending", "Running", "Concluded");
const metricType = fc.constantFrom("conversion" as const, "numeric" as const);
const goal = fc.constantFrom("increase" as const, "decrease" as const);

function threeVariantSpec(type: "conversion" | "numeric", g: "increase" | "decrease", weights: number[]) {
  return spec({
    variants: ["control", "a", "b"].map((variant, i) => ({ variant, weight: weights[i]! })),
    metrics: [{ name: "m", event: "m", type, goal: g }],
  });
}

function checkRow(row: VariantResult): void {
  for (const p of [row.pValue, row.sequentialPValue, row.adjustedPValue, row.chanceToBeatControl]) {
    if (p !== undefined) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  }
  for (const interval of [row.liftInterval, row.sequentialInterval]) {
    if (interval !== undefined) {
      expect(interval[0]).toBeLessThanOrEqual(row.lift as number);
      expect(interval[1]).toBeGreaterThanOrEqual(row.lift as number);
    }
  }
  if (row.sequentialInterval && row.liftInterval) {
    // the always-valid interval is the wider one
    expect(row.sequentialInterval[0]).toBeLessThanOrEqual(row.liftInterval[0]);
    expect(row.sequentialInterval[1]).toBeGreaterThanOrEqual(row.liftInterval[1]);
  }
}

describe("analyzeExperiment properties", () => {
  it("never throws and never emits NaN, Infinity or a probability outside [0, 1]", () => {
    fc.assert(
      fc.property(
        metricType,
        goal,
        phase,
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }),
        anyRow("control"),
        anyRow("a"),
        anyRow("b"),
        fc.option(fc.double(), { nil: undefined }),
        (type, g, ph, weights, c, a, b, mde) => {
          const analysis = analyzeExperiment(
            threeVariantSpec(type, g, weights),
            { exposuresByVariant: { control: c.exposures, a: a.exposures, b: b.exposures }, metrics: { m: [c, a, b] } },
            { phase: ph, minimumDetectableEffect: mde },
          );
          expect(JSON.stringify(analysis)).not.toMatch(/NaN|Infinity|null/);
          analysis.results.m!.forEach(checkRow);
          expect(analysis.sampleRatioMismatch.pValue).toBeGreaterThanOrEqual(0);
          expect(analysis.sampleRatioMismatch.pValue).toBeLessThanOrEqual(1);
          expect(analysis.recommendation.message.length).toBeGreaterThan(10);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("gives complementary chances when control and treatment swap roles", () => {
    fc.assert(
      fc.property(metricType, conversionRow("x"), conversionRow("y"), (type, x, y) => {
        const forward = spec({
          variants: [
            { variant: "x", weight: 1 },
            { variant: "y", weight: 1 },
          ],
          control: "x",
          metrics: [{ name: "m", event: "m", type, goal: "increase" }],
        });
        const aggregates = { exposuresByVariant: {}, metrics: { m: [x, y] } };
        const yBeatsX = analyzeExperiment(forward, aggregates).results.m![1]!.chanceToBeatControl;
        const xBeatsY = analyzeExperiment({ ...forward, control: "y" }, aggregates).results.m![1]!.chanceToBeatControl;
        expect(yBeatsX === undefined).toBe(xBeatsY === undefined);
        if (yBeatsX !== undefined) expect(yBeatsX + xBeatsY!).toBeCloseTo(1, 6);
      }),
      { numRuns: 100 },
    );
  });

  it("gives identical results to treatments with identical data", () => {
    fc.assert(
      fc.property(metricType, goal, phase, anyRow("control"), anyRow("a"), (type, g, ph, c, a) => {
        const rows = [c, a, { ...a, variant: "b" }];
        const analysis = analyzeExperiment(
          threeVariantSpec(type, g, [1, 1, 1]),
          { exposuresByVariant: {}, metrics: { m: rows } },
          { phase: ph },
        );
        const [, first, second] = analysis.results.m!;
        expect({ ...second, variant: "a" }).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it("gives the same SRM p-value whatever the order or names of the variants", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100_000 })), {
          minLength: 2,
          maxLength: 6,
        }),
        (pairs) => {
          const named = pairs.map(([weight, count], i) => ({ variant: `v${i}`, weight, count }));
          const exposuresByVariant = Object.fromEntries(named.map((v) => [v.variant, v.count]));
          const renamed = Object.fromEntries(named.map((v) => [`r-${v.variant}`, v.count]));
          const forward = sampleRatioMismatch(named, exposuresByVariant);
          const reversed = sampleRatioMismatch(
            [...named].reverse().map((v) => ({ variant: `r-${v.variant}`, weight: v.weight })),
            renamed,
          );
          expect(reversed.detected).toBe(forward.detected);
          expect(reversed.pValue).toBeCloseTo(forward.pValue, 12);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
