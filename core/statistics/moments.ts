// Per-variant moments of a metric: the rate (mean per exposed user) and the variance the
// delta method needs. Inputs come from a database, so they are sanitised here once: every later
// function may assume finite, non-negative counts.
import type { MetricVariantAggregate } from "./aggregates.ts";

export type MetricType = "conversion" | "numeric";

export interface VariantMoments {
  /** Unique exposed users (n). */
  n: number;
  /** Exposed users with at least one event or value. */
  conversions: number;
  /** conversions / n (conversion) or mean value per exposed user (numeric); 0 when n = 0. */
  rate: number;
  /** p(1 − p) (conversion) or the sample variance of per-user values (numeric); 0 when undefined. */
  variance: number;
}

/** A user count as the statistics assume it: a non-negative safe integer (absurd values are clamped). */
export function count(value: number | undefined): number {
  if (value === undefined || !(value > 0)) return 0;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** Adds duplicate rows of one variant together, so a store that splits a variant still counts it once. */
export function mergeAggregates(
  rows: readonly MetricVariantAggregate[],
  variant: string,
): Omit<MetricVariantAggregate, "variant"> {
  const merged = { exposures: 0, conversions: 0, sum: 0, sumOfSquares: 0 };
  for (const row of rows) {
    if (row.variant !== variant) continue;
    merged.exposures += count(row.exposures);
    merged.conversions += count(row.conversions);
    merged.sum += finite(row.sum);
    merged.sumOfSquares += finite(row.sumOfSquares);
  }
  merged.conversions = Math.min(merged.conversions, merged.exposures);
  return merged;
}

/** Conversion metric: rate = x / n, variance = p(1 − p) (the Bernoulli variance, as the issue defines). */
export function conversionMoments(exposures: number, conversions: number): VariantMoments {
  const rate = exposures > 0 ? conversions / exposures : 0;
  return { n: exposures, conversions, rate, variance: rate * (1 - rate) };
}

/**
 * Numeric metric: rate = Σv / n over all exposed users (users without values count 0) and the
 * sample variance (Σv² − (Σv)²/n) / (n − 1). With fewer than two users the variance is undefined
 * and reported as 0; comparisons need two users per variant anyway. Rounding can make the
 * difference slightly negative for identical values, hence the clamp.
 */
export function numericMoments(
  exposures: number,
  conversions: number,
  sum: number,
  sumOfSquares: number,
): VariantMoments {
  if (exposures === 0) return { n: 0, conversions, rate: 0, variance: 0 };
  const rate = sum / exposures;
  const variance = exposures < 2 ? 0 : Math.max(0, (sumOfSquares - (sum * sum) / exposures) / (exposures - 1));
  if (!Number.isFinite(rate) || !Number.isFinite(variance)) return { n: exposures, conversions, rate: 0, variance: 0 };
  return { n: exposures, conversions, rate, variance };
}

export function metricMoments(type: MetricType, aggregate: Omit<MetricVariantAggregate, "variant">): VariantMoments {
  return type === "conversion"
    ? conversionMoments(aggregate.exposures, aggregate.conversions)
    : numericMoments(aggregate.exposures, aggregate.conversions, aggregate.sum, aggregate.sumOfSquares);
}
