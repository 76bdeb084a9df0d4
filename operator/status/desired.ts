// The status a resource should have, computed from what each environment's reconcile found.
// Conditions follow the kstatus convention that Argo CD and Flux read: Ready is always
// present; Reconciling and Stalled appear only while true ("abnormal-true" conditions).
import type { GuardrailsStatus, StatusCondition } from "../../core/schema/index.ts";
import { canonicalJson } from "../../core/snapshot/canonical-json.ts";
import { guardedReady, rolledBackConditions, type GuardConditionInput } from "./guarded.ts";
import { Reason } from "./reasons.ts";

/** What one environment's reconcile decided about one resource. */
export interface EnvironmentOutcome {
  /** generation of the resource this outcome was computed for */
  generation: number;
  /** problems that stop this generation from being served in this environment */
  problems: { reason: Reason; message: string }[];
  /** generation still served because the current one is invalid (last good version) */
  servingGeneration?: number;
  /** whether the flag is in the snapshot at all */
  served: boolean;
  /** hash of the flag as compiled into this environment's snapshot */
  snapshotVersion?: string;
  configMap?: string;
  rollout?: {
    percentage: number;
    step?: number;
    nextStepAt?: string;
    /** guarded rollouts: the guardrails' record, and the promotion they hold back */
    guard?: { record?: GuardrailsStatus; held?: { step: number; percentage: number } };
  };
  /** the snapshot could not be written; the operator retries */
  writeError?: string;
}

/** Reconcile conditions: the kstatus three, and RolledBack for guarded rollouts. */
export type ReconcileCondition = Omit<StatusCondition, "type"> & { type: GuardConditionInput["type"] };

export interface DesiredStatus {
  observedGeneration: number;
  conditions: ReconcileCondition[];
  environments?: Record<string, EnvironmentStatus>;
}

export interface EnvironmentStatus {
  snapshotVersion?: string;
  configMap?: string;
  rolloutPercentage?: number;
  rolloutStep?: number;
  nextStepAt?: string;
  guardrails?: GuardrailsStatus;
}

const MAX_MESSAGE = 1024;

type ConditionInput = GuardConditionInput;

export function desiredStatus(
  kind: string,
  generation: number,
  environments: readonly string[],
  outcomes: ReadonlyMap<string, EnvironmentOutcome>,
  previous: readonly StatusCondition[] | undefined,
  now: Date,
): DesiredStatus {
  const current = environments.map((env) => [env, outcomes.get(env)] as const);
  const conditions = decideConditions(kind, generation, current).map((input) =>
    withTransitionTime(input, generation, previous, now),
  );
  const status: DesiredStatus = { observedGeneration: generation, conditions };
  if (kind === "FeatureFlag") status.environments = environmentStatuses(current);
  return status;
}

function decideConditions(
  kind: string,
  generation: number,
  current: readonly (readonly [string, EnvironmentOutcome | undefined])[],
): ConditionInput[] {
  const problems = current.flatMap(([env, outcome]) =>
    outcome && outcome.generation === generation
      ? outcome.problems.map((problem) => ({ ...problem, env, serving: outcome.servingGeneration }))
      : [],
  );
  const first = problems[0];
  if (first) {
    const serving = first.serving === undefined ? "not served" : `still serving generation ${first.serving}`;
    const message = clip(`${groupByMessage(problems)} (${serving}); fix the ${kind} and re-apply`);
    return [
      { type: "Ready", status: "False", reason: first.reason, message },
      { type: "Stalled", status: "True", reason: first.reason, message },
    ];
  }
  const rolledBack = rolledBackConditions(generation, current, clip);
  if (rolledBack) return rolledBack;
  const failed = current.find(([, outcome]) => outcome?.writeError);
  if (failed) {
    const message = clip(`${failed[0]}: writing the snapshot failed: ${failed[1]?.writeError}; retrying`);
    return [
      { type: "Ready", status: "False", reason: Reason.SnapshotWriteFailed, message },
      { type: "Reconciling", status: "True", reason: Reason.SnapshotWriteFailed, message },
    ];
  }
  const pending = current.filter(([, outcome]) => !outcome || outcome.generation !== generation).map(([env]) => env);
  if (pending.length > 0) {
    const message = `compiling generation ${generation} for ${pending.join(", ")}`;
    return [
      { type: "Ready", status: "Unknown", reason: Reason.Progressing, message },
      { type: "Reconciling", status: "True", reason: Reason.Progressing, message },
    ];
  }
  return [readyCondition(kind, generation, current)];
}

function readyCondition(
  kind: string,
  generation: number,
  current: readonly (readonly [string, EnvironmentOutcome | undefined])[],
): ConditionInput {
  const envs = current.map(([env]) => env).join(", ");
  const guarded = guardedReady(generation, current);
  if (guarded) return guarded;
  const rolling = current.filter(([, outcome]) => outcome?.rollout?.nextStepAt);
  if (rolling.length > 0) {
    const parts = rolling.map(
      ([env, o]) => `${env} at ${o?.rollout?.percentage}%, next step ${o?.rollout?.nextStepAt}`,
    );
    return {
      type: "Ready",
      status: "True",
      reason: Reason.RolloutProgressing,
      message: `generation ${generation} served; rollout ${parts.join("; ")}`,
    };
  }
  const what =
    kind === "FeatureFlag"
      ? `generation ${generation} served in ${envs}`
      : `generation ${generation} is valid and compiled into ${envs}`;
  return { type: "Ready", status: "True", reason: Reason.Reconciled, message: what };
}

/** lastTransitionTime moves only when a condition's status changes. */
function withTransitionTime(
  input: ConditionInput,
  generation: number,
  previous: readonly StatusCondition[] | undefined,
  now: Date,
): ReconcileCondition {
  const before = previous?.find((condition) => condition.type === input.type);
  const lastTransitionTime =
    before && before.status === input.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return { ...input, lastTransitionTime, observedGeneration: generation };
}

function environmentStatuses(
  current: readonly (readonly [string, EnvironmentOutcome | undefined])[],
): Record<string, EnvironmentStatus> {
  const result: Record<string, EnvironmentStatus> = {};
  for (const [env, outcome] of current) {
    if (!outcome?.served) continue;
    const entry: EnvironmentStatus = {};
    if (outcome.snapshotVersion) entry.snapshotVersion = outcome.snapshotVersion;
    if (outcome.configMap) entry.configMap = outcome.configMap;
    if (outcome.rollout) {
      entry.rolloutPercentage = outcome.rollout.percentage;
      if (outcome.rollout.step !== undefined) entry.rolloutStep = outcome.rollout.step;
      if (outcome.rollout.nextStepAt) entry.nextStepAt = outcome.rollout.nextStepAt;
      if (outcome.rollout.guard?.record) entry.guardrails = outcome.rollout.guard.record;
    }
    result[env] = entry;
  }
  return result;
}

/** `production, staging: <problem>; production: <other problem>` — one entry per distinct problem. */
function groupByMessage(problems: readonly { env: string; message: string }[]): string {
  const envs = new Map<string, string[]>();
  for (const { env, message } of problems) envs.set(message, [...(envs.get(message) ?? []), env]);
  return [...envs].map(([message, where]) => `${[...new Set(where)].join(", ")}: ${message}`).join("; ");
}

function clip(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/** Whether the live status already says what we would write (so no patch is needed). */
/** The conditions reconciles own; others (an Experiment's Running, Concluded, SampleRatioMismatch) belong to the analysis. */
const RECONCILE_CONDITIONS = new Set(["Ready", "Reconciling", "Stalled", "RolledBack"]);
export function isReconcileCondition(type: string): boolean {
  return RECONCILE_CONDITIONS.has(type);
}

export function statusMatches(live: Record<string, unknown> | undefined, desired: DesiredStatus): boolean {
  if (!live) return false;
  if (live.observedGeneration !== desired.observedGeneration) return false;
  if (desired.environments && canonicalJson(live.environments ?? {}) !== canonicalJson(desired.environments)) {
    return false;
  }
  const liveConditions = ((live.conditions ?? []) as ReconcileCondition[]).filter((c) => isReconcileCondition(c.type));
  if (liveConditions.length !== desired.conditions.length) return false;
  return desired.conditions.every((want) => {
    const have = liveConditions.find((c) => c.type === want.type);
    return (
      have !== undefined &&
      have.status === want.status &&
      have.reason === want.reason &&
      have.message === want.message &&
      have.observedGeneration === want.observedGeneration
    );
  });
}
