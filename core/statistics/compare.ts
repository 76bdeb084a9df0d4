// One metric's rows: each variant's rate, and each treatment against the control.
import type { ExperimentPhase, VariantResult } from "../schema/experiment-status.ts";
import { betaChanceToBeat, normalChanceToBeat } from "./bayes.ts";
import { ALPHA, liftEstimate, liftInterval, liftPValue } from "./delta-method.ts";
import { holmAdjust } from "./holm.ts";
import type { MetricType, VariantMoments } from "./moments.ts";
import { sequentialInterval, sequentialPValue } from "./sequential.ts";

export type Goal = "increase" | "decrease";

export function baseRow(variant: string, m: VariantMoments): VariantResult {
  return { variant, exposures: m.n, conversions: m.conversions, rate: m.rate };
}

/**
 * A treatment against the control. Every comparison needs two users on each side; the lift
 * fields also need a non-zero control rate. Absent fields mean "not defined for this data".
 */
export function compareToControl(
  type: MetricType,
  goal: Goal,
  control: VariantMoments,
  variant: string,
  treatment: VariantMoments,
): VariantResult {
  const row = baseRow(variant, treatment);
  if (control.n < 2 || treatment.n < 2) return row;
  const beats = type === "conversion" ? betaChanceToBeat(control, treatment) : normalChanceToBeat(control, treatment);
  row.chanceToBeatControl = goal === "increase" ? beats : 1 - beats;
  const estimate = liftEstimate(control, treatment);
  if (estimate === undefined) return row;
  const users = control.n + treatment.n;
  row.lift = estimate.lift;
  row.liftInterval = liftInterval(estimate);
  row.pValue = liftPValue(estimate);
  row.sequentialInterval = sequentialInterval(estimate, users);
  row.sequentialPValue = sequentialPValue(estimate, users);
  return row;
}

/** The p-value decisions use: always-valid while the experiment can still be watched, fixed-horizon once it is over. */
export function decisionPValue(row: VariantResult, phase: ExperimentPhase): number | undefined {
  return phase === "Concluded" ? row.pValue : row.sequentialPValue;
}

/** Fills adjustedPValue and significant on the treatment rows that have a decision p-value (Holm over them). */
export function applyHolm(treatments: VariantResult[], phase: ExperimentPhase): void {
  const family = treatments.filter((row) => decisionPValue(row, phase) !== undefined);
  const adjusted = holmAdjust(family.map((row) => decisionPValue(row, phase) as number));
  family.forEach((row, i) => {
    row.adjustedPValue = adjusted[i] as number;
    row.significant = row.adjustedPValue < ALPHA;
  });
}

/** Whether the variant's rate is on the good side of the control's for the goal. */
export function isBetter(row: VariantResult, controlRate: number, goal: Goal): boolean {
  return goal === "increase" ? row.rate > controlRate : row.rate < controlRate;
}
