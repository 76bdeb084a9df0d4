// Chance to beat the control: the posterior probability that the variant's true rate is better.
import betaCdf from "@stdlib/stats-base-dists-beta-cdf";
import betaPdf from "@stdlib/stats-base-dists-beta-pdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import type { VariantMoments } from "./moments.ts";

interface BetaPosterior {
  a: number;
  b: number;
  mean: number;
  sd: number;
}

/** Beta(1 + x, 1 + n − x): a uniform prior updated with x conversions among n users. */
function betaPosterior(m: VariantMoments): BetaPosterior {
  const a = 1 + m.conversions;
  const b = 1 + m.n - m.conversions;
  const s = a + b;
  return { a, b, mean: a / s, sd: Math.sqrt((a * b) / (s * s * (s + 1))) };
}

/** Simpson's rule intervals; the integrand is smooth on the range, so 1000 give ~1e-8 (checked against the exact sum in the vectors). */
const INTERVALS = 1000;
/** Half-width of the integration range in posterior standard deviations (tail mass < 1e-9). */
const SPAN = 20;

/**
 * P(p_v > p_c) for independent Beta posteriors, by numerical integration over the narrower
 * posterior's density: ∫ f_c(t)·(1 − F_v(t)) dt, or ∫ f_v(t)·F_c(t) dt when the variant is narrower.
 * Integrating over the narrower density keeps the other factor smooth on the grid.
 */
export function betaChanceToBeat(control: VariantMoments, variant: VariantMoments): number {
  const c = betaPosterior(control);
  const v = betaPosterior(variant);
  const outerIsControl = c.sd <= v.sd;
  const outer = outerIsControl ? c : v;
  const other = outerIsControl ? v : c;
  const integrand = (t: number): number => {
    const cdf = betaCdf(t, other.a, other.b);
    return betaPdf(t, outer.a, outer.b) * (outerIsControl ? 1 - cdf : cdf);
  };
  const lo = Math.max(0, outer.mean - SPAN * outer.sd);
  const hi = Math.min(1, outer.mean + SPAN * outer.sd);
  return clampProbability(simpson(integrand, lo, hi, INTERVALS));
}

function simpson(f: (t: number) => number, lo: number, hi: number, intervals: number): number {
  const h = (hi - lo) / intervals;
  let total = f(lo) + f(hi);
  for (let i = 1; i < intervals; i++) total += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (total * h) / 3;
}

/**
 * P(μ_v > μ_c) for normal posteriors N(mean, variance / n) (flat prior): Φ(Δ / sqrt(var_v/n_v + var_c/n_c)).
 * When neither varies the difference is certain: 1, 0, or 0.5 for a tie.
 */
export function normalChanceToBeat(control: VariantMoments, variant: VariantMoments): number {
  const diff = variant.rate - control.rate;
  const sd = Math.sqrt(variant.variance / variant.n + control.variance / control.n);
  if (!(sd > 0) || !Number.isFinite(sd)) return diff > 0 ? 1 : diff < 0 ? 0 : 0.5;
  return clampProbability(normalCdf(diff / sd, 0, 1));
}

function clampProbability(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
}
