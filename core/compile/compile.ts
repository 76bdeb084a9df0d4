// compile(resources, namespace, environment) → Snapshot: the one function the operator, the
// embedded directory mode and the facade use. Invalid resources and whatever depends on them
// are left out with problems; the rest compile, and callers choose the policy (`vexil serve`
// keeps its last good snapshot on any problem; the operator marks the bad resource Stalled).
import type { ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import type { ExperimentResource, FeatureFlag } from "../schema/index.ts";
import { SNAPSHOT_SCHEMA_VERSION, type CompiledFlag, type Snapshot } from "../snapshot/snapshot.ts";
import { checkResources } from "../validate/index.ts";
import { buildScope } from "../validate/scope.ts";
import { canonicalize } from "../snapshot/canonical-json.ts";
import { snapshotHash, type HashedSnapshot } from "../snapshot/hash.ts";
import { compileExperiment, experimentChanges, runningExperiments } from "./experiments.ts";
import { excludeDependents } from "./exclusion.ts";
import { compileFlag, hasTargeting } from "./flag.ts";
import type { GuardedRollout, GuardLookup } from "./guard.ts";
import type { SegmentLookup } from "./segments.ts";

export interface CompileOptions {
  namespace: string;
  environment: string;
  /** the moment time-based rollouts and experiments are resolved at; default: now */
  now?: Date;
  /** the operator's guardrail directives; without it guardrails are not enforced (time schedule only) */
  guards?: GuardLookup;
}

export interface RolloutStatus {
  strategy: string;
  percentage: number;
  step?: number;
  nextStepAt?: string;
  /** guarded rollouts (only when options.guards was given) */
  guarded?: GuardedRollout;
}

export interface CompileOutput {
  snapshot: Snapshot;
  problems: ManifestProblem[];
  /** resources left out of the snapshot (invalid, or depending on something invalid) */
  excluded: { kind: string; name: string }[];
  /** percentage, gradual and canary rollouts by flag key: what is in force now */
  rollouts: Record<string, RolloutStatus>;
}

/** Resources with no namespace belong to every namespace (directory mode); others only to theirs. */
function inNamespace(resources: readonly AnyResource[], namespace: string): AnyResource[] {
  return resources.filter((r) => r.metadata.namespace === undefined || r.metadata.namespace === namespace);
}

function byName(a: AnyResource, b: AnyResource): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

interface Selection {
  flags: FeatureFlag[];
  /** the experiment running on each flag key */
  experiments: Map<string, ExperimentResource>;
  /** experiments of this environment that were not left out: their start/stop reschedule */
  scheduled: ExperimentResource[];
  excluded: Set<AnyResource>;
  duplicates: Set<AnyResource>;
  problems: ManifestProblem[];
  lookup: SegmentLookup;
}

/** Validate, leave out the invalid and their dependents, pick the running experiments. */
function select(resources: readonly AnyResource[], environment: string, now: number): Selection {
  const report = checkResources(resources, { sameScope: true });
  const excluded = new Set(report.invalid);
  const scope = buildScope(
    resources.filter((r) => !report.duplicates.has(r)),
    true,
  );
  const problems = [...report.problems, ...excludeDependents(resources, excluded, scope)];
  const scheduled = resources.filter(
    (r): r is ExperimentResource => r.kind === "Experiment" && !excluded.has(r) && r.spec.environment === environment,
  );
  const running = runningExperiments(scheduled, now);
  for (const conflict of running.conflicts) excluded.add(conflict);
  problems.push(...running.problems);
  const flags = resources.filter((r): r is FeatureFlag => r.kind === "FeatureFlag" && !excluded.has(r)).sort(byName);
  const lookup: SegmentLookup = (name) => scope.find("Segment", name);
  return { flags, experiments: running.byFlag, scheduled, excluded, duplicates: report.duplicates, problems, lookup };
}

function compileFlags(selection: Selection, environment: string, now: number, guards: GuardLookup | undefined) {
  const flags: Record<string, CompiledFlag> = {};
  const rollouts: Record<string, RolloutStatus> = {};
  const changes: number[] = [];
  for (const flag of selection.flags) {
    const key = flag.metadata.name;
    const result = compileFlag(flag, environment, selection.lookup, now, guards && { directive: guards(key) });
    const experiment = selection.experiments.get(flag.metadata.name);
    if (experiment) result.flag.experiment = compileExperiment(experiment, selection.lookup);
    result.flag.hasTargeting = hasTargeting(result.flag);
    flags[flag.metadata.name] = result.flag;
    if (!result.rollout) continue;
    const { strategy, state } = result.rollout;
    const status: RolloutStatus = { strategy, percentage: state.percentage };
    if (state.step !== undefined) status.step = state.step;
    if (result.rollout.guarded) status.guarded = result.rollout.guarded;
    if (state.nextChangeAt !== undefined) {
      status.nextStepAt = new Date(state.nextChangeAt).toISOString();
      changes.push(state.nextChangeAt);
    }
    rollouts[flag.metadata.name] = status;
  }
  return { flags, rollouts, changes };
}

export function compile(resources: AnyResource[], options: CompileOptions): CompileOutput {
  const { namespace, environment } = options;
  const now = (options.now ?? new Date()).getTime();
  const selection = select(inNamespace(resources, namespace), environment, now);
  const { flags, rollouts, changes } = compileFlags(selection, environment, now, options.guards);
  changes.push(...experimentChanges(selection.scheduled, now));
  // The hash covers everything an evaluator serves; nextChangeAt is scheduling only.
  // Flags are served in canonical form (sorted keys), the same bytes the hash covers.
  const hashed: HashedSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    namespace,
    environment,
    flags: canonicalize(flags),
  };
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    namespace,
    environment,
    hash: snapshotHash(hashed),
    ...(changes.length > 0 ? { nextChangeAt: new Date(Math.min(...changes)).toISOString() } : {}),
    flags: hashed.flags,
  };
  // A duplicate is not reported as excluded: its kind and name are served from the first definition.
  const excluded = [...selection.excluded]
    .filter((r) => !selection.duplicates.has(r))
    .map((r) => ({ kind: r.kind, name: r.metadata.name }))
    .sort((a, b) => (`${a.kind}/${a.name}` < `${b.kind}/${b.name}` ? -1 : 1));
  return { snapshot, problems: selection.problems, excluded, rollouts };
}
