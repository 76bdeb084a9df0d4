// Always-valid inference: the asymptotic confidence sequence of Waudby-Smith et al. (see
// docs/experiments.md), applied to the delta-method lift. Unlike the fixed-horizon interval it
// keeps its 95 % coverage however often the status is looked at, at the price of width.
import { ALPHA, type LiftEstimate } from "./delta-method.ts";

/** Total users (control + variant) at which the sequence is tightest; GrowthBook's default too. */
export const SEQUENTIAL_TUNING_USERS = 5000;

/** ρ = sqrt((−2 ln α + ln(−2 ln α + 1)) / N*), the mixing parameter tuned for N* users. */
export function sequentialRho(alpha: number = ALPHA, tuningUsers: number = SEQUENTIAL_TUNING_USERS): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuningUsers);
}

/** halfwidth / se = sqrt(2(nρ² + 1)/(nρ²) · ln(sqrt(nρ² + 1)/α)) for n users in the comparison. */
export function sequentialWidthFactor(n: number, alpha: number = ALPHA, rho: number = sequentialRho(alpha)): number {
  const t = n * rho * rho;
  return Math.sqrt(((2 * (t + 1)) / t) * Math.log(Math.sqrt(t + 1) / alpha));
}

/** lift ± se·factor(n). */
export function sequentialInterval(estimate: LiftEstimate, n: number): [number, number] {
  const half = estimate.se * sequentialWidthFactor(n);
  return [estimate.lift - half, estimate.lift + half];
}

/**
 * The smallest α at which the sequence excludes 0: min(1, sqrt(nρ² + 1)·exp(−ρ²·n·z²/(2(nρ² + 1)))) with
 * z = lift/se, computed in logs so large z gives 0 rather than overflow.
 */
export function sequentialPValue({ lift, se }: LiftEstimate, n: number, rho: number = sequentialRho()): number {
  if (se === 0) return lift === 0 ? 1 : 0;
  const t = n * rho * rho + 1;
  const z = lift / se;
  const logP = 0.5 * Math.log(t) - (rho * rho * n * z * z) / (2 * t);
  return Math.exp(Math.min(0, logP));
}
