// What a FeatureFlag's conditions say about its guarded rollouts, for desired.ts. A rollback
// stops the rollout until someone changes the spec, so it is Stalled (kstatus: a person must
// act) and Ready=False, with a RolledBack condition tools can match on; a promotion the
// guardrails hold back keeps the flag Ready with reason Guarded, saying what is missing.
import type { EnvironmentOutcome } from "./desired.ts";
import { Reason } from "./reasons.ts";

export interface GuardConditionInput {
  type: "Ready" | "Reconciling" | "Stalled" | "RolledBack";
  status: "True" | "False" | "Unknown";
  reason: Reason;
  message: string;
}

type Current = readonly (readonly [string, EnvironmentOutcome | undefined])[];

/** Ready=False, Stalled and RolledBack when an environment's rollout of this generation was rolled back. */
export function rolledBackConditions(
  generation: number,
  current: Current,
  clip: (message: string) => string,
): GuardConditionInput[] | undefined {
  const rolledBack = current.flatMap(([env, outcome]) => {
    const record = outcome?.rollout?.guard?.record;
    return outcome?.generation === generation && record?.phase === "RolledBack" ? [`${env}: ${record.message}`] : [];
  });
  if (rolledBack.length === 0) return undefined;
  const message = clip(rolledBack.join("; "));
  return [
    { type: "Ready", status: "False", reason: Reason.RolledBack, message },
    { type: "Stalled", status: "True", reason: Reason.RolledBack, message },
    { type: "RolledBack", status: "True", reason: Reason.GuardrailRegressed, message },
  ];
}

/** Ready=True with reason Guarded while a due promotion waits for the guardrails. */
export function guardedReady(generation: number, current: Current): GuardConditionInput | undefined {
  const waiting = current.flatMap(([env, outcome]) => {
    const guard = outcome?.rollout?.guard;
    if (!guard?.held) return [];
    const why = guard.record?.message ?? "the guardrails have not been checked yet";
    return [
      `${env} at ${outcome?.rollout?.percentage}%, promotion to ${guard.held.percentage}% (step ${guard.held.step}) waits for the guardrails: ${why}`,
    ];
  });
  if (waiting.length === 0) return undefined;
  return {
    type: "Ready",
    status: "True",
    reason: Reason.Guarded,
    message: `generation ${generation} served; ${waiting.join("; ")}`,
  };
}
