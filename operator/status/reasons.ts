// The fixed vocabulary of condition reasons the operator writes. Tools (Argo CD, Flux,
// kubectl wait, alerts) match on reasons, people read the message: keep this list closed
// and documented in docs/operator.md.
import { ProblemCode } from "../../core/manifest/problem.ts";

export const Reason = {
  /** served as written in every environment */
  Reconciled: "Reconciled",
  /** the operator is working on the latest generation (first reconcile, retries) */
  Progressing: "Progressing",
  /** a gradual or canary rollout is advancing; the flag is served */
  RolloutProgressing: "RolloutProgressing",
  /** a guarded rollout's next step is due, but its guardrails are not yet healthy (not enough users) */
  Guarded: "Guarded",
  /** a guardrail regressed: the rollout serves the off variant until the spec changes (Ready, Stalled) */
  RolledBack: "RolledBack",
  /** reason of the RolledBack condition: which guardrail regressed is in the message */
  GuardrailRegressed: "GuardrailRegressed",
  /** the spec breaks a rule the CRD cannot check (variants, types, splits, conditions) */
  InvalidSpec: "InvalidSpec",
  /** a rule, ring, rollout or experiment names a Segment that does not exist */
  UnknownSegment: "UnknownSegment",
  /** a prerequisite or experiment names a flag that does not exist */
  UnknownFlag: "UnknownFlag",
  /** prerequisites form a cycle */
  PrerequisiteCycle: "PrerequisiteCycle",
  /** a condition's regex does not compile (or is unsafe) */
  InvalidRegex: "InvalidRegex",
  /** a flag or segment this one depends on is itself invalid */
  DependencyInvalid: "DependencyInvalid",
  /** two experiments claim the same flag and environment */
  ExperimentConflict: "ExperimentConflict",
  /** writing the snapshot ConfigMaps failed; retried with backoff */
  SnapshotWriteFailed: "SnapshotWriteFailed",
  /** the snapshot would not fit the ConfigMap limits */
  SnapshotTooLarge: "SnapshotTooLarge",
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

const byProblemCode: Partial<Record<ProblemCode, Reason>> = {
  [ProblemCode.UNKNOWN_SEGMENT]: Reason.UnknownSegment,
  [ProblemCode.UNKNOWN_PREREQUISITE]: Reason.UnknownFlag,
  [ProblemCode.UNKNOWN_FLAG]: Reason.UnknownFlag,
  [ProblemCode.PREREQUISITE_CYCLE]: Reason.PrerequisiteCycle,
  [ProblemCode.INVALID_REGEX]: Reason.InvalidRegex,
  [ProblemCode.DEPENDENCY_EXCLUDED]: Reason.DependencyInvalid,
  [ProblemCode.EXPERIMENT_CONFLICT]: Reason.ExperimentConflict,
};

/** The reason a problem code is reported under; everything not listed is InvalidSpec. */
export function reasonForProblem(code: string): Reason {
  return byProblemCode[code as ProblemCode] ?? Reason.InvalidSpec;
}
