// Builders for statistics tests: specs and aggregates in the shapes the event store produces.
import type { ExperimentSpec } from "../../../core/schema/index.ts";
import type { MetricVariantAggregate } from "../../../core/statistics/index.ts";

export function spec(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
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
    ...overrides,
  };
}

/** A conversion-metric row: sum and sum of squares equal conversions. */
export function conversion(variant: string, exposures: number, conversions: number): MetricVariantAggregate {
  return { variant, exposures, conversions, sum: conversions, sumOfSquares: conversions };
}

/** A numeric-metric row from the per-user totals of the users who had values (others count 0). */
export function numeric(variant: string, exposures: number, values: number[]): MetricVariantAggregate {
  return {
    variant,
    exposures,
    conversions: values.length,
    sum: values.reduce((s, v) => s + v, 0),
    sumOfSquares: values.reduce((s, v) => s + v * v, 0),
  };
}

export function exposures(rows: MetricVariantAggregate[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.variant, r.exposures]));
}
