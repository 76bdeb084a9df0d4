// Sample-ratio mismatch: are exposures split the way the weights say? A broken split (a bug in
// assignment or in exposure logging) biases every other number, so it overrides the recommendation.
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import type { SampleRatioMismatch } from "../schema/experiment-status.ts";
import { count } from "./moments.ts";

/** p below which the split is declared broken; strict because the test runs continuously. */
export const SRM_THRESHOLD = 0.001;

/**
 * Chi-square goodness of fit of exposures against the configured weights, over variants with a
 * positive weight (df = k − 1). Exposures to a variant of weight 0 cannot happen in a healthy
 * split: p = 0. No exposures, or fewer than two weighted variants: p = 1.
 */
export function sampleRatioMismatch(
  variants: readonly { variant: string; weight: number }[],
  exposuresByVariant: Readonly<Record<string, number>>,
): SampleRatioMismatch {
  const observed = variants.map((v) => {
    const exposures = Object.hasOwn(exposuresByVariant, v.variant) ? exposuresByVariant[v.variant] : 0;
    return { weight: v.weight > 0 && Number.isFinite(v.weight) ? v.weight : 0, count: count(exposures) };
  });
  const total = observed.reduce((s, o) => s + o.count, 0);
  const weighted = observed.filter((o) => o.weight > 0);
  const totalWeight = weighted.reduce((s, o) => s + o.weight, 0);
  if (observed.some((o) => o.weight === 0 && o.count > 0)) return { pValue: 0, detected: true };
  if (total === 0 || weighted.length < 2) return { pValue: 1, detected: false };
  let chiSquare = 0;
  for (const o of weighted) {
    const expected = total * (o.weight / totalWeight);
    // a weight too small to expect anyone (it underflows) behaves like weight 0
    if (expected > 0) chiSquare += (o.count - expected) ** 2 / expected;
    else if (o.count > 0) return { pValue: 0, detected: true };
  }
  const p = 1 - chisquareCdf(chiSquare, weighted.length - 1);
  const pValue = Number.isNaN(p) ? 1 : Math.min(1, Math.max(0, p));
  return { pValue, detected: pValue < SRM_THRESHOLD };
}
