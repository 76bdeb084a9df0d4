// Experiments take over a flag's traffic in one environment while they run.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { ExperimentResource } from "../schema/index.ts";
import type { CompiledExperiment } from "../snapshot/snapshot.ts";
import { problemFor } from "../validate/finding.ts";
import { matcher, type SegmentLookup } from "./segments.ts";

/** Running means start ≤ now < stop; a missing start has started, a missing stop never stops. */
export function isRunning(experiment: ExperimentResource, now: number): boolean {
  const { start, stop } = experiment.spec;
  return (start === undefined || Date.parse(start) <= now) && (stop === undefined || now < Date.parse(stop));
}

/** Future start/stop times of the environment's experiments: the snapshot changes then. */
export function experimentChanges(experiments: readonly ExperimentResource[], now: number): number[] {
  return experiments
    .flatMap((e) => [e.spec.start, e.spec.stop])
    .filter((time): time is string => time !== undefined)
    .map((time) => Date.parse(time))
    .filter((time) => time > now);
}

export function compileExperiment(experiment: ExperimentResource, lookup: SegmentLookup): CompiledExperiment {
  const { spec } = experiment;
  return {
    name: experiment.metadata.name,
    traffic: spec.traffic,
    audience: matcher(spec.audience?.segments, [], lookup),
    split: spec.variants.map(({ variant, weight }) => ({ variant, weight })),
    control: spec.control,
    salt: `${experiment.metadata.name}/experiment`,
  };
}

/**
 * The running experiment of each flag. Two running at once on one flag would make assignment
 * ambiguous: the first by name runs, the others are reported and left out.
 */
export function runningExperiments(
  experiments: readonly ExperimentResource[],
  now: number,
): { byFlag: Map<string, ExperimentResource>; conflicts: ExperimentResource[]; problems: ManifestProblem[] } {
  const byFlag = new Map<string, ExperimentResource>();
  const conflicts: ExperimentResource[] = [];
  const problems: ManifestProblem[] = [];
  const sorted = [...experiments].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const experiment of sorted.filter((e) => isRunning(e, now))) {
    const running = byFlag.get(experiment.spec.flag);
    if (!running) {
      byFlag.set(experiment.spec.flag, experiment);
      continue;
    }
    conflicts.push(experiment);
    const message = `experiment "${running.metadata.name}" is already running on flag "${experiment.spec.flag}" in ${experiment.spec.environment}; only one experiment per flag and environment may run at a time`;
    problems.push(problemFor(experiment, { code: ProblemCode.EXPERIMENT_CONFLICT, path: "spec.flag", message }));
  }
  return { byFlag, conflicts, problems };
}
