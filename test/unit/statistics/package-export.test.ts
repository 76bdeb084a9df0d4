// The statistics are part of the package's public API ("vexil" resolves to dist/: `npm run build` first; `npm test` does).
import { describe, expect, it } from "vitest";
import { analyzeExperiment, type ExperimentAggregates, type ExperimentSpec } from "vexil";

describe('import { analyzeExperiment } from "vexil"', () => {
  it("analyses an experiment from the built package", () => {
    const spec = {
      flag: "checkout",
      environment: "production",
      variants: [
        { variant: "control", weight: 50 },
        { variant: "treatment", weight: 50 },
      ],
      control: "control",
      traffic: 100,
      metrics: [{ name: "purchase", event: "purchase", type: "conversion", goal: "increase" }],
      minimumSamples: 150,
    } satisfies ExperimentSpec;
    const aggregates: ExperimentAggregates = {
      exposuresByVariant: { control: 20000, treatment: 20100 },
      metrics: {
        purchase: [
          { variant: "control", exposures: 20000, conversions: 2000, sum: 2000, sumOfSquares: 2000 },
          { variant: "treatment", exposures: 20100, conversions: 2400, sum: 2400, sumOfSquares: 2400 },
        ],
      },
    };
    const analysis = analyzeExperiment(spec, aggregates);
    expect(analysis.recommendation).toMatchObject({ action: "ShipVariant", variant: "treatment" });
    expect(analysis.results.purchase![1]!.lift).toBeCloseTo(0.19403, 5);
  });
});
