// The Experiment conditions the analysis owns, and the moments worth telling people about:
// significance first reached by a variant on a metric, and a sample ratio mismatch first seen.
// "First" is judged against the live status, which survives operator restarts and failovers.
import type { StatusCondition } from "../../core/schema/index.ts";
import type { ExperimentResults } from "../../event-store/results.ts";

type Condition = Omit<StatusCondition, "type"> & { type: string };

export interface Milestone {
  trigger: "significance" | "sampleRatioMismatch";
  metric?: string;
  variant?: string;
  message: string;
}

/** 0.0123 → "0.0123"; tiny p-values in exponent form rather than "0.00" */
function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toPrecision(3);
}

function condition(
  type: string,
  status: boolean,
  reason: string,
  message: string,
): Omit<Condition, "lastTransitionTime"> {
  return { type, status: status ? "True" : "False", reason, message };
}

/** Running, Concluded and SampleRatioMismatch; a condition keeps its lastTransitionTime while its status holds. */
export function experimentConditions(
  results: ExperimentResults,
  previous: readonly Condition[],
  generation: number,
  now: Date,
): Condition[] {
  const srm = results.sampleRatioMismatch;
  const srmMessage = srm.detected
    ? `exposures do not match the configured weights (chi-square p = ${formatP(srm.pValue)} < 0.001): check assignment before trusting results`
    : `exposures match the configured weights (chi-square p = ${formatP(srm.pValue)})`;
  const wanted = [
    condition("Running", results.phase === "Running", results.phase, runningMessage(results)),
    condition("Concluded", results.phase === "Concluded", results.phase, `phase ${results.phase}`),
    condition("SampleRatioMismatch", srm.detected, srm.detected ? "Detected" : "NotDetected", srmMessage),
  ];
  return wanted.map((want) => {
    const before = previous.find((c) => c.type === want.type);
    const lastTransitionTime =
      before && before.status === want.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, "Z");
    return { ...want, lastTransitionTime, observedGeneration: generation };
  });
}

function runningMessage(results: ExperimentResults): string {
  const exposed = Object.values(results.results)[0]?.reduce((n, row) => n + row.exposures, 0) ?? 0;
  if (results.phase === "Pending") return "waiting for spec.start";
  if (results.phase === "Concluded") return `stopped; ${exposed} users were exposed`;
  return `${exposed} users exposed so far`;
}

/** Variants significant now that were not in the previous status, and an SRM not flagged before. */
export function milestones(
  results: ExperimentResults,
  previousStatus: Record<string, unknown> | undefined,
): Milestone[] {
  const found: Milestone[] = [];
  const before = (previousStatus?.results ?? {}) as ExperimentResults["results"];
  for (const [metric, rows] of Object.entries(results.results)) {
    for (const row of rows) {
      if (row.significant !== true) continue;
      if (before[metric]?.find((r) => r.variant === row.variant)?.significant === true) continue;
      const lift = row.lift === undefined ? "" : ` (lift ${(row.lift * 100).toFixed(1)}%)`;
      const message = `variant ${row.variant} differs significantly from the control on ${metric}${lift}`;
      found.push({ trigger: "significance", metric, variant: row.variant, message });
    }
  }
  // the field, not the condition: a reconcile's status write may briefly drop the analysis' conditions
  const flagged = (previousStatus?.sampleRatioMismatch as { detected?: boolean } | undefined)?.detected === true;
  if (results.sampleRatioMismatch.detected && !flagged) {
    const message = `sample ratio mismatch: exposures do not match the configured weights (p = ${formatP(results.sampleRatioMismatch.pValue)})`;
    found.push({ trigger: "sampleRatioMismatch", message });
  }
  return found;
}
