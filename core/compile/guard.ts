// Guarded rollouts at compile time. The time schedule says which step is due; the guardrails
// (checked by the operator against the event store) say which step is allowed. Compile serves
// the lower of the two, or nobody inside after a rollback, and marks the compiled rollout so
// evaluators record which side of it each user landed on.
import type { GuardrailsSpec, RolloutSpec } from "../schema/index.ts";
import { canonicalJson } from "../snapshot/canonical-json.ts";
import { sha256Hex } from "../snapshot/hash.ts";
import { stepPercentage, type ScheduleState } from "./schedule.ts";

/** What the guardrails allow for one flag's rollout in one environment. */
export interface GuardDirective {
  /** the rollout fingerprint the directive was decided for; another fingerprint starts afresh */
  rollout: string;
  /** highest step that may be served */
  approvedStep: number;
  /** a regression was found: nobody is inside the rollout until the spec changes */
  rolledBack: boolean;
}

/** The operator's directives by flag key; undefined (directory mode, facade): guardrails are not enforced. */
export type GuardLookup = (flagKey: string) => GuardDirective | undefined;

/** What the operator needs to check a guarded rollout, beside the state in force. */
export interface GuardedRollout {
  rollout: string;
  guardrails: GuardrailsSpec;
  /** the "experiment" key evaluators record rollout exposures under (variant "inside" or "outside") */
  exposureKey: string;
  /** the step the time schedule says is due (may be ahead of the step served) */
  scheduledStep: number;
  /** the step served (held at approvedStep while the guardrails are not yet healthy) */
  step: number;
  /** percentage of the next step, when promotion waits for the guardrails */
  heldPercentage?: number;
  rolledBack: boolean;
}

/**
 * Fingerprint of a rollout: what it serves and its schedule, not a pause. Changing any of it
 * (a new start, other guardrails) starts the guardrails afresh: that is how a rolled back
 * rollout is resumed.
 */
export function rolloutFingerprint(rollout: RolloutSpec): string {
  const { pausedAt: _paused, ...rest } = rollout;
  return sha256Hex(canonicalJson(rest)).slice(0, 12);
}

/** Exposure key of one step: a new step compares users afresh (a user outside at 5% may be inside at 25%). */
export function exposureKey(flagKey: string, environment: string, fingerprint: string, step: number): string {
  return `rollout/${flagKey}/${environment}/${fingerprint}/${step}`;
}

/**
 * The state to serve under the guardrails: the scheduled state when its step is allowed, the
 * approved step's percentage (no next change: the operator decides it) when not, 0 % after a
 * rollback. A directive for another fingerprint counts as none: the first step only.
 */
export function guardState(
  rollout: RolloutSpec,
  scheduled: ScheduleState,
  directive: GuardDirective | undefined,
  fingerprint: string,
): { state: ScheduleState; rolledBack: boolean; heldPercentage?: number } {
  const current = directive?.rollout === fingerprint ? directive : undefined;
  const step = scheduled.step ?? 0;
  if (current?.rolledBack) return { state: { percentage: 0, step }, rolledBack: true };
  const approved = current?.approvedStep ?? 0;
  if (scheduled.step === undefined || step <= approved) return { state: scheduled, rolledBack: false };
  const held: ScheduleState = { percentage: stepPercentage(rollout, approved), step: approved };
  return { state: held, rolledBack: false, heldPercentage: stepPercentage(rollout, approved + 1) };
}
