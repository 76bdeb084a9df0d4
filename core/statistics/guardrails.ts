// Guardrails of a rollout: is a metric significantly worse for users inside the rollout than
// for users outside it, by more than the tolerated regression? The test is one-sided on the
// margin d = r_in − (1 + m)·r_out (goal decrease; (1 − m)·r_out − r_in for increase), positive
// when the inside is worse than tolerated. Its standard error is sqrt(var_in/n_in +
// (1 ± m)²·var_out/n_out), so it stays defined when nobody outside had the event (an error
// rate of 0 outside is the usual case). The interval is the same always-valid confidence
// sequence the experiments use (sequential.ts): the operator may look every interval without
// inflating false alarms. A regression is declared when the whole interval lies above 0.
import type { GuardrailMetricSpec } from "../schema/guardrails.ts";
import { DEFAULT_GUARDRAIL_MINIMUM_SAMPLES } from "../schema/guardrails.ts";
import type { MetricVariantAggregate } from "./aggregates.ts";
import { mergeAggregates, metricMoments, type VariantMoments } from "./moments.ts";
import { sequentialWidthFactor } from "./sequential.ts";

/** The exposure "variants" of a guarded rollout. */
export const INSIDE = "inside";
export const OUTSIDE = "outside";

export interface GuardrailCheck {
  event: string;
  inside: { users: number; value: number };
  outside: { users: number; value: number };
  /** relative change inside vs outside, when the outside value is not 0 */
  change?: number;
  /** users each side needs before the check decides */
  minimumSamples: number;
  /** both sides have minimumSamples users */
  enoughSamples: boolean;
  /** always-valid interval of the margin d (> 0: worse than tolerated), when defined */
  margin?: [number, number];
  regressed: boolean;
}

export type GuardVerdict =
  | { verdict: "Regressed"; checks: GuardrailCheck[]; regressed: GuardrailCheck }
  | { verdict: "Healthy"; checks: GuardrailCheck[] }
  | { verdict: "Collecting"; checks: GuardrailCheck[]; short: GuardrailCheck };

/** One metric's check from its inside and outside aggregates (rows of other variants are ignored). */
export function checkGuardrail(
  metric: GuardrailMetricSpec,
  rows: readonly MetricVariantAggregate[],
  defaultMinimum = DEFAULT_GUARDRAIL_MINIMUM_SAMPLES,
): GuardrailCheck {
  const type = metric.type ?? "conversion";
  const inside = metricMoments(type, mergeAggregates(rows, INSIDE));
  const outside = metricMoments(type, mergeAggregates(rows, OUTSIDE));
  const minimumSamples = metric.minimumSamples ?? defaultMinimum;
  const enoughSamples = inside.n >= minimumSamples && outside.n >= minimumSamples;
  const check: GuardrailCheck = {
    event: metric.event,
    inside: { users: inside.n, value: inside.rate },
    outside: { users: outside.n, value: outside.rate },
    minimumSamples,
    enoughSamples,
    regressed: false,
  };
  if (outside.rate !== 0) check.change = (inside.rate - outside.rate) / outside.rate;
  const margin = marginInterval(metric, inside, outside);
  if (margin !== undefined) {
    check.margin = margin;
    check.regressed = enoughSamples && margin[0] > 0;
  }
  return check;
}

function marginInterval(
  metric: GuardrailMetricSpec,
  inside: VariantMoments,
  outside: VariantMoments,
): [number, number] | undefined {
  if (inside.n < 2 || outside.n < 2) return undefined;
  const tolerance = (metric.maxRegression ?? 0) / 100;
  const k = metric.goal === "decrease" ? 1 + tolerance : 1 - tolerance;
  const d = metric.goal === "decrease" ? inside.rate - k * outside.rate : k * outside.rate - inside.rate;
  const se = Math.sqrt(inside.variance / inside.n + (k * k * outside.variance) / outside.n);
  if (!Number.isFinite(d) || !Number.isFinite(se)) return undefined;
  const half = se * sequentialWidthFactor(inside.n + outside.n);
  return [d - half, d + half];
}

/**
 * The verdict on one step: any regression rolls back (the first metric listed that regressed),
 * else every metric needs its minimum samples on both sides to be Healthy, else Collecting
 * (naming the metric furthest from its minimum).
 */
export function guardVerdict(checks: GuardrailCheck[]): GuardVerdict {
  const regressed = checks.find((c) => c.regressed);
  if (regressed) return { verdict: "Regressed", checks, regressed };
  const short = checks
    .filter((c) => !c.enoughSamples)
    .sort((a, b) => fewest(a) / a.minimumSamples - fewest(b) / b.minimumSamples)[0];
  return short ? { verdict: "Collecting", checks, short } : { verdict: "Healthy", checks };
}

function fewest(check: GuardrailCheck): number {
  return Math.min(check.inside.users, check.outside.users);
}
