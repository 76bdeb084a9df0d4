// Events for what a reconcile discovered rather than what a user wrote: a generation that
// cannot be served (Invalid, Warning), a resource that is valid again (Recovered), and a
// time-based rollout that moved to its next step (RolloutAdvanced).
import { ChangeReason } from "../audit/change.ts";
import type { AuditRecord, AuditRecorder } from "../audit/recorder.ts";
import type { OperatorMetrics } from "../metrics.ts";
import type { LiveResource } from "../resources.ts";
import type { EnvironmentOutcome } from "../status/desired.ts";

interface TransitionDeps {
  recorder: AuditRecorder;
  metrics: OperatorMetrics;
}

export function recordTransitions(
  deps: TransitionDeps,
  live: LiveResource,
  environment: string,
  previous: EnvironmentOutcome | undefined,
  current: EnvironmentOutcome,
  now: Date,
): void {
  const base = {
    time: now.toISOString(),
    kind: live.kind,
    namespace: live.metadata.namespace,
    name: live.metadata.name,
    generation: current.generation,
    ...(live.metadata.uid ? { uid: live.metadata.uid } : {}),
  };
  const emit = (record: Omit<AuditRecord, keyof typeof base>): void => {
    deps.recorder.record({ ...base, ...record });
    deps.metrics.events.inc({ reason: record.reason });
  };
  const problems = current.problems.map((p) => p.message).join("; ");
  const before = previous?.problems.map((p) => p.message).join("; ");
  if (problems && problems !== before && !alreadyReported(live, previous, current)) {
    const serving =
      current.servingGeneration === undefined ? "not served" : `still serving generation ${current.servingGeneration}`;
    emit({ reason: ChangeReason.Invalid, type: "Warning", summary: `${environment}: ${problems} (${serving})` });
  } else if (!problems && before) {
    emit({
      reason: ChangeReason.Recovered,
      type: "Normal",
      summary: `${environment}: generation ${current.generation} is valid and served`,
    });
  }
  const step = current.rollout?.step;
  const previousStep = previous?.rollout?.step;
  if (previous && step !== undefined && previousStep !== undefined && step !== previousStep) {
    const next = current.rollout?.nextStepAt ? `, next step at ${current.rollout.nextStepAt}` : ", final step";
    emit({
      reason: ChangeReason.RolloutAdvanced,
      type: "Normal",
      summary: `${environment}: rollout step ${previousStep} → ${step}, ${previous.rollout?.percentage}% → ${current.rollout?.percentage}%${next}`,
    });
  }
}

/** After an operator restart the outcome book is empty: a Stalled status for this generation means we told the user already. */
function alreadyReported(
  live: LiveResource,
  previous: EnvironmentOutcome | undefined,
  current: EnvironmentOutcome,
): boolean {
  if (previous) return false;
  const conditions = (live.status?.conditions ?? []) as {
    type?: string;
    status?: string;
    observedGeneration?: number;
  }[];
  return conditions.some(
    (c) => c.type === "Stalled" && c.status === "True" && c.observedGeneration === current.generation,
  );
}
