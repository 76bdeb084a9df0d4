// The whole analysis of one experiment: from per-variant aggregates to the status fields.
// Pure and total: any input (empty, degenerate, inconsistent) gives a defined result without
// NaN or Infinity, so the operator can write it into the status as is.
import type {
  ExperimentAnalysis,
  ExperimentPhase,
  LeadingVariant,
  VariantResult,
} from "../schema/experiment-status.ts";
import type { ExperimentSpec } from "../schema/experiment.ts";
import type { ExperimentAggregates, MetricVariantAggregate } from "./aggregates.ts";
import { applyHolm, baseRow, compareToControl, type Goal } from "./compare.ts";
import { mergeAggregates, metricMoments, type MetricType, type VariantMoments } from "./moments.ts";
import { recommend } from "./recommendation.ts";
import { usersForEffect } from "./sample-size.ts";
import { sampleRatioMismatch } from "./srm.ts";

export type { ExperimentPhase };

/** Relative lift the "users needed" estimate is for when the caller states none: 5 %. */
export const DEFAULT_MINIMUM_DETECTABLE_EFFECT = 0.05;
const DEFAULT_MINIMUM_SAMPLES = 150;

export interface AnalyzeOptions {
  /** Default Running: decisions use the always-valid p-values. Concluded: fixed-horizon ones. */
  phase?: ExperimentPhase;
  /** Relative lift (e.g. 0.05 = 5 %) for usersNeeded; default DEFAULT_MINIMUM_DETECTABLE_EFFECT. */
  minimumDetectableEffect?: number;
}

interface MetricSpec {
  name: string;
  type: MetricType;
  goal: Goal;
}

interface VariantSpec {
  variant: string;
  weight: number;
}

export function analyzeExperiment(
  spec: ExperimentSpec,
  aggregates: ExperimentAggregates,
  options: AnalyzeOptions = {},
): ExperimentAnalysis {
  const phase = options.phase ?? "Running";
  const mde = validEffect(options.minimumDetectableEffect);
  const variants = orderedVariants(spec);
  const metrics: MetricSpec[] = spec.metrics.map((m) => ({
    name: m.name,
    type: m.type ?? "conversion",
    goal: m.goal ?? "increase",
  }));
  const moments = metrics.map((m) => variantMoments(m, variants, ownValue(aggregates.metrics, m.name) ?? []));
  const results = Object.fromEntries(metrics.map((m, i) => [m.name, metricRows(m, variants, moments[i]!, phase)]));
  const srm = sampleRatioMismatch(spec.variants, aggregates.exposuresByVariant ?? {});
  const primary = metrics[0];
  if (primary === undefined) {
    return { phase, results, sampleRatioMismatch: srm, recommendation: noMetric() };
  }
  const rows = results[primary.name] as VariantResult[];
  const weighted = rows.filter((_, i) => variants[i]!.weight > 0 || i === 0);
  const [control, ...treatments] = weighted as [VariantResult, ...VariantResult[]];
  const needed = usersForEffect({
    type: primary.type,
    goal: primary.goal,
    control: moments[0]![0]!,
    ...shares(variants),
    mde,
    sequential: phase !== "Concluded",
  });
  const recommendation = recommend({
    phase,
    srm,
    metric: primary.name,
    goal: primary.goal,
    control,
    treatments,
    minimumSamples: Math.max(0, spec.minimumSamples ?? DEFAULT_MINIMUM_SAMPLES),
    mde,
    usersForEffect: needed,
  });
  const leadingVariant = leader(primary.name, treatments);
  return { phase, results, sampleRatioMismatch: srm, recommendation, ...(leadingVariant ? { leadingVariant } : {}) };
}

function validEffect(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : DEFAULT_MINIMUM_DETECTABLE_EFFECT;
}

/** The control first, then the other variants in spec order (each once). */
function orderedVariants(spec: ExperimentSpec): VariantSpec[] {
  const weightOf = new Map<string, number>();
  for (const v of spec.variants) {
    const w = Number.isFinite(v.weight) && v.weight > 0 ? v.weight : 0;
    weightOf.set(v.variant, (weightOf.get(v.variant) ?? 0) + w);
  }
  const control = { variant: spec.control, weight: weightOf.get(spec.control) ?? 0 };
  const others = [...weightOf]
    .filter(([name]) => name !== spec.control)
    .map(([variant, weight]) => ({ variant, weight }));
  return [control, ...others];
}

function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function variantMoments(
  metric: MetricSpec,
  variants: VariantSpec[],
  rows: readonly MetricVariantAggregate[],
): VariantMoments[] {
  return variants.map((v) => metricMoments(metric.type, mergeAggregates(rows, v.variant)));
}

function metricRows(
  metric: MetricSpec,
  variants: VariantSpec[],
  moments: VariantMoments[],
  phase: ExperimentPhase,
): VariantResult[] {
  const control = moments[0]!;
  const treatments = variants
    .slice(1)
    .map((v, i) => compareToControl(metric.type, metric.goal, control, v.variant, moments[i + 1]!));
  applyHolm(treatments, phase);
  return [baseRow(variants[0]!.variant, control), ...treatments];
}

/** Traffic shares from the weights; the control is variants[0]. */
function shares(variants: VariantSpec[]): { controlShare: number; treatmentShares: number[] } {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (total === 0) return { controlShare: 0, treatmentShares: [] };
  return {
    controlShare: variants[0]!.weight / total,
    treatmentShares: variants
      .slice(1)
      .filter((v) => v.weight > 0)
      .map((v) => v.weight / total),
  };
}

/** The treatment with the highest chance to beat the control (the first in spec order on a tie). */
function leader(metric: string, treatments: VariantResult[]): LeadingVariant | undefined {
  let best: VariantResult | undefined;
  for (const row of treatments) {
    if (row.chanceToBeatControl === undefined) continue;
    if (best === undefined || row.chanceToBeatControl > (best.chanceToBeatControl as number)) best = row;
  }
  if (best === undefined) return undefined;
  return {
    variant: best.variant,
    metric,
    ...(best.lift === undefined ? {} : { lift: best.lift }),
    chanceToBeatControl: best.chanceToBeatControl as number,
  };
}

function noMetric(): ExperimentAnalysis["recommendation"] {
  return { action: "NotEnoughData", message: "The experiment has no metrics to analyse." };
}
