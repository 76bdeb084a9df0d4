// Fixed-horizon inference on the relative lift by the delta method.
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import type { VariantMoments } from "./moments.ts";

export const ALPHA = 0.05;
/** z_{0.975} ≈ 1.959964: the two-sided 95 % critical value. */
export const Z_95 = normalQuantile(1 - ALPHA / 2, 0, 1);

export interface LiftEstimate {
  lift: number;
  /** Standard error of the lift; 0 when neither variant varies. */
  se: number;
}

/**
 * lift = (r_v − r_c) / r_c and se² = var_v/(n_v·r_c²) + r_v²·var_c/(n_c·r_c⁴). Undefined (undefined)
 * when the control rate is 0 or either variant has fewer than two users, or when the numbers
 * overflow: the status never carries NaN or Infinity.
 */
export function liftEstimate(control: VariantMoments, variant: VariantMoments): LiftEstimate | undefined {
  const rc = control.rate;
  const rv = variant.rate;
  if (rc === 0 || control.n < 2 || variant.n < 2) return undefined;
  const lift = (rv - rc) / rc;
  const se2 = variant.variance / (variant.n * rc * rc) + (rv * rv * control.variance) / (control.n * rc ** 4);
  const se = Math.sqrt(se2);
  if (!Number.isFinite(lift) || !Number.isFinite(se)) return undefined;
  return { lift, se };
}

/** lift ± z_{0.975}·se; a point when se = 0. */
export function liftInterval({ lift, se }: LiftEstimate): [number, number] {
  return [lift - Z_95 * se, lift + Z_95 * se];
}

/** Two-sided p-value of z = lift / se, computed as 2·Φ(−|z|) to keep small p-values exact. With se = 0 it is 1 for no lift and 0 otherwise. */
export function liftPValue({ lift, se }: LiftEstimate): number {
  if (se === 0) return lift === 0 ? 1 : 0;
  return Math.min(1, 2 * normalCdf(-Math.abs(lift / se), 0, 1));
}
