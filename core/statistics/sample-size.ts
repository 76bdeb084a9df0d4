// Users needed to detect a minimum detectable effect (MDE): the total exposed users at which a
// true relative lift of ±MDE is found significant with 80 % power, under the same rule the
// recommendation applies (always-valid while running, fixed-horizon once concluded), with α
// split over the treatments (Bonferroni, a slightly conservative stand-in for Holm).
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ALPHA } from "./delta-method.ts";
import type { MetricType, VariantMoments } from "./moments.ts";
import { sequentialRho, sequentialWidthFactor } from "./sequential.ts";
import type { Goal } from "./compare.ts";

export const POWER = 0.8;
const Z_POWER = normalQuantile(POWER, 0, 1);
/** Beyond this many users the estimate is meaningless; report "cannot be estimated" instead. */
const MAX_USERS = 1e13;

export interface SampleSizeInput {
  type: MetricType;
  goal: Goal;
  control: VariantMoments;
  /** Traffic share (0-1) of the control and of each treatment, from the weights. */
  controlShare: number;
  treatmentShares: number[];
  mde: number;
  sequential: boolean;
}

/**
 * Total users N (all variants together) such that for every treatment
 * MDE ≥ K/sqrt(N)·(c + z_{0.8}), where K²/N is the delta-method se² at lift = ±MDE with n = share·N
 * (rate_v = rate_c·(1 ± MDE); variance p(1 − p) at that rate, or the control's variance for numeric
 * metrics) and c is z_{1−α'/2} (fixed) or the confidence-sequence width factor at n_c + n_v (sequential).
 */
export function usersForEffect(input: SampleSizeInput): number | undefined {
  const { control, mde } = input;
  const rc = control.rate;
  if (!(mde > 0) || rc === 0 || control.n < 2 || !(input.controlShare > 0)) return undefined;
  const alpha = ALPHA / Math.max(1, input.treatmentShares.length);
  let needed = 0;
  for (const share of input.treatmentShares) {
    if (!(share > 0)) continue;
    const n = usersForTreatment(input, share, alpha);
    if (n === undefined) return undefined;
    needed = Math.max(needed, n);
  }
  return needed > 0 ? needed : undefined;
}

function usersForTreatment(input: SampleSizeInput, share: number, alpha: number): number | undefined {
  const { control, mde, controlShare } = input;
  const rc = control.rate;
  const rv = rc * (input.goal === "increase" ? 1 + mde : 1 - mde);
  const p = Math.min(1, Math.max(0, rv));
  const varV = input.type === "conversion" ? p * (1 - p) : control.variance;
  const k2 = (varV / share + ((rv * rv) / (rc * rc)) * (control.variance / controlShare)) / (rc * rc);
  if (!(k2 > 0) || !Number.isFinite(k2)) return undefined;
  const k = Math.sqrt(k2);
  if (!input.sequential) {
    const z = normalQuantile(1 - alpha / 2, 0, 1) + Z_POWER;
    return finiteUsers(Math.ceil((k2 * z * z) / (mde * mde)));
  }
  const rho = sequentialRho();
  const detects = (total: number): boolean =>
    (k / Math.sqrt(total)) * (sequentialWidthFactor((controlShare + share) * total, alpha, rho) + Z_POWER) <= mde;
  return smallestSatisfying(detects);
}

/** Smallest integer N ≥ 1 with detects(N), by doubling then bisection (detects is monotone in N). */
function smallestSatisfying(detects: (n: number) => boolean): number | undefined {
  let hi = 1;
  while (!detects(hi)) {
    hi *= 2;
    if (hi > MAX_USERS) return undefined;
  }
  let lo = Math.floor(hi / 2);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (detects(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function finiteUsers(n: number): number | undefined {
  return Number.isFinite(n) && n <= MAX_USERS ? Math.max(1, n) : undefined;
}
