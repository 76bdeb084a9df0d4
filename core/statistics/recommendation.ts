// The recommendation: one action from a closed set, decided on the first metric, with a sentence
// for people. The order of the checks is the order of trust: a broken split invalidates
// everything, too little data invalidates significance, and only then do p-values speak.
import type {
  ExperimentPhase,
  Recommendation,
  SampleRatioMismatch,
  VariantResult,
} from "../schema/experiment-status.ts";
import { isBetter, type Goal } from "./compare.ts";
import { POWER } from "./sample-size.ts";

export interface RecommendationInput {
  phase: ExperimentPhase;
  srm: SampleRatioMismatch;
  metric: string;
  goal: Goal;
  /** Rows of the first metric for variants with a positive weight, the control first. */
  control: VariantResult;
  treatments: VariantResult[];
  minimumSamples: number;
  mde: number;
  /** Total users needed for the MDE (undefined: cannot be estimated). */
  usersForEffect: number | undefined;
}

const percent = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
const pFormat = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p.toPrecision(2));

export function recommend(input: RecommendationInput): Recommendation {
  const { phase, srm, metric } = input;
  if (phase === "Pending") {
    return { action: "NotEnoughData", metric, message: "The experiment has not started yet." };
  }
  if (srm.detected) {
    return {
      action: "SampleRatioMismatch",
      metric,
      message:
        `Exposures do not match the configured weights (chi-square p = ${pFormat(srm.pValue)} < 0.001): ` +
        "fix assignment or exposure logging before trusting any result.",
    };
  }
  return minimumSamples(input) ?? significance(input) ?? noSignificance(input);
}

function minimumSamples(input: RecommendationInput): Recommendation | undefined {
  const rows = [input.control, ...input.treatments];
  const fewest = rows.reduce((a, b) => (b.conversions < a.conversions ? b : a));
  const { metric, minimumSamples: needed } = input;
  if (fewest.conversions < needed) {
    return {
      action: "NotEnoughData",
      metric,
      message:
        `Variant ${fewest.variant} has ${fewest.conversions} of the ${needed} conversions on ${metric} needed ` +
        "before results can be trusted; keep collecting.",
    };
  }
  const tiny = rows.find((r) => r.exposures < 2);
  if (tiny === undefined) return undefined;
  return {
    action: "NotEnoughData",
    metric,
    message: `Variant ${tiny.variant} has fewer than 2 exposed users; keep collecting.`,
  };
}

function significance(input: RecommendationInput): Recommendation | undefined {
  const { control, treatments, goal, metric, phase } = input;
  const decided = treatments.filter((t) => t.significant === true);
  const winners = decided.filter((t) => isBetter(t, control.rate, goal));
  const interval = phase === "Concluded" ? "95% interval" : "95% always-valid interval";
  if (winners.length > 0) {
    const best = winners.reduce((a, b) => ((b.chanceToBeatControl ?? 0) > (a.chanceToBeatControl ?? 0) ? b : a));
    const range = phase === "Concluded" ? best.liftInterval : best.sequentialInterval;
    const rangeText = range ? `, ${interval} ${percent(range[0])} to ${percent(range[1])}` : "";
    return {
      action: "ShipVariant",
      metric,
      variant: best.variant,
      message:
        `Ship ${best.variant}: it beats ${control.variant} on ${metric} by ${percent(best.lift ?? 0)}` +
        `${rangeText}, Holm-adjusted p = ${pFormat(best.adjustedPValue ?? 1)}.`,
    };
  }
  if (treatments.length > 0 && decided.length === treatments.length) {
    return {
      action: "KeepControl",
      metric,
      variant: control.variant,
      message: `Keep ${control.variant}: every variant is significantly worse on ${metric}.`,
    };
  }
  return undefined;
}

function noSignificance(input: RecommendationInput): Recommendation {
  const { metric, control, mde, phase } = input;
  const total = [control, ...input.treatments].reduce((s, r) => s + r.exposures, 0);
  const needed = input.usersForEffect;
  const effect = `a ${(mde * 100).toFixed(1)}% lift`;
  const remaining = needed === undefined ? undefined : Math.max(0, needed - total);
  if (phase === "Concluded") {
    const power =
      remaining === undefined || remaining === 0
        ? ""
        : ` It had ${total} of the ${needed} users needed to detect ${effect}, so a smaller difference may have been missed.`;
    return {
      action: "NoDifference",
      metric,
      minimumDetectableEffect: mde,
      message: `The experiment ended with no significant difference from ${control.variant} on ${metric}.${power}`,
    };
  }
  if (remaining === 0) {
    return {
      action: "NoDifference",
      metric,
      minimumDetectableEffect: mde,
      usersNeeded: 0,
      message:
        `No significant difference from ${control.variant} on ${metric} after ${total} users, enough to detect ` +
        `${effect} with ${POWER * 100}% power: the change makes no difference that large; keep ${control.variant} or decide on other grounds.`,
    };
  }
  const estimate =
    remaining === undefined
      ? `the users needed cannot be estimated yet (the control's ${metric} has no rate or no variance).`
      : `about ${remaining} more users are needed to detect ${effect} with ${POWER * 100}% power.`;
  return {
    action: "KeepRunning",
    metric,
    minimumDetectableEffect: mde,
    ...(remaining === undefined ? {} : { usersNeeded: remaining }),
    message: `Keep running: no significant difference on ${metric} yet; ${estimate}`,
  };
}
