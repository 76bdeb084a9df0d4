// The guardrail decision for one rollout in one environment: a pure function from the previous
// record, the rollout as compiled and the verdict on the current step to the next record (what
// status.environments.<env>.guardrails says and what compile is told). A rollback is final for
// the rollout it happened to: only a spec change (another fingerprint) starts afresh.
import type { GuardedRollout } from "../../core/compile/guard.ts";
import type { GuardrailsSpec, GuardrailsStatus } from "../../core/schema/guardrails.ts";
import type { GuardrailCheck, GuardVerdict } from "../../core/statistics/guardrails.ts";

export interface GuardInput {
  guarded: GuardedRollout;
  guardrails: GuardrailsSpec;
  /** percentage served at the current step */
  percentage: number;
  /** the verdict on the current step; undefined when it could not be read (no event store, store down) */
  verdict: GuardVerdict | undefined;
  /** why there is no verdict */
  unavailable?: string;
}

export interface GuardDecision {
  record: GuardrailsStatus;
  /** this decision rolled the rollout back (tell people once) */
  rolledBackNow: boolean;
}

export const RESUME_HINT =
  "to resume, fix the cause, then change spec.rollout (a new start restarts the schedule) or remove spec.rollout.guardrails";

export function decideGuard(previous: GuardrailsStatus | undefined, input: GuardInput, now: Date): GuardDecision {
  const { guarded, verdict } = input;
  const same = previous?.rollout === guarded.rollout ? previous : undefined;
  if (same?.phase === "RolledBack") return { record: same, rolledBackNow: false };
  const approved = Math.max(same?.approvedStep ?? 0, guarded.step);
  const base = { rollout: guarded.rollout, approvedStep: approved };
  // nobody inside (0 %) or nobody outside (100 %): nothing to compare, nothing to hold
  if (input.percentage <= 0 || input.percentage >= 100) {
    const message = `step ${guarded.step} (${input.percentage}%) has no users to compare; promotion is not held`;
    return {
      record: { ...base, phase: "Healthy", approvedStep: Math.max(approved, guarded.step + 1), message },
      rolledBackNow: false,
    };
  }
  if (verdict === undefined) {
    const kept = same?.metrics ? { metrics: same.metrics } : {};
    const message = `guardrails not checked: ${input.unavailable ?? "no data"}; promotion waits`;
    return { record: { ...base, phase: "Collecting", message, ...kept }, rolledBackNow: false };
  }
  const metrics = verdict.checks.map(statusOf);
  if (verdict.verdict === "Regressed") {
    const record: GuardrailsStatus = {
      ...base,
      phase: "RolledBack",
      message: `${regressionMessage(verdict.regressed, input)}; the rollout serves the off variant to everyone; ${RESUME_HINT}`,
      rolledBackAt: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      rolledBackStep: guarded.step,
      metrics,
    };
    return { record, rolledBackNow: true };
  }
  if (verdict.verdict === "Collecting") {
    const { short } = verdict;
    const message = `${short.event} has ${short.inside.users} users inside and ${short.outside.users} outside the rollout at step ${guarded.step}; ${short.minimumSamples} each are needed before promotion`;
    return { record: { ...base, phase: "Collecting", message, metrics }, rolledBackNow: false };
  }
  const message = `no guardrail regressed at step ${guarded.step} (${input.percentage}%): ${verdict.checks.map(summary).join("; ")}`;
  return {
    record: { ...base, phase: "Healthy", approvedStep: Math.max(approved, guarded.step + 1), message, metrics },
    rolledBackNow: false,
  };
}

function statusOf(check: GuardrailCheck): NonNullable<GuardrailsStatus["metrics"]>[number] {
  const row: NonNullable<GuardrailsStatus["metrics"]>[number] = {
    event: check.event,
    inside: { users: check.inside.users, value: round(check.inside.value) },
    outside: { users: check.outside.users, value: round(check.outside.value) },
    regressed: check.regressed,
  };
  if (check.change !== undefined) row.change = round(check.change);
  return row;
}

/** Six significant digits: enough to read, and stable across passes that saw the same data. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function regressionMessage(check: GuardrailCheck, input: GuardInput): string {
  const metric = input.guardrails.metrics.find((m) => m.event === check.event);
  const tolerated = metric?.maxRegression ?? 0;
  const change = check.change === undefined ? "" : ` (${signedPercent(check.change)})`;
  return (
    `guardrail ${check.event} regressed at step ${input.guarded.step} (${input.percentage}%): ` +
    `${valueText(check.inside.value, metric?.type)} inside vs ${valueText(check.outside.value, metric?.type)} outside${change}, ` +
    `worse than the ${tolerated}% tolerated (always-valid 95% test, ${check.inside.users}/${check.outside.users} users)`
  );
}

function summary(check: GuardrailCheck): string {
  const change = check.change === undefined ? "" : ` (${signedPercent(check.change)})`;
  return `${check.event} ${check.inside.value.toPrecision(3)} inside vs ${check.outside.value.toPrecision(3)} outside${change}`;
}

function valueText(value: number, type: string | undefined): string {
  return type === "numeric" ? value.toPrecision(4) : `${(value * 100).toFixed(1)}%`;
}

function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
}
