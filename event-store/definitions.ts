// Experiment resources → the definitions readers of the store need (spec and state), written by
// whoever owns the resources: the operator's leader, or `vexil serve` in directory mode.
import { isRunning } from "../core/compile/experiments.ts";
import type { ExperimentResource } from "../core/schema/index.ts";
import type { ExperimentDefinition, ExperimentState } from "./store.ts";

export function experimentState(experiment: ExperimentResource, now: number): ExperimentState {
  if (isRunning(experiment, now)) return "running";
  const start = experiment.spec.start;
  return start !== undefined && Date.parse(start) > now ? "pending" : "stopped";
}

export function experimentDefinitions(
  experiments: readonly ExperimentResource[],
  namespace: string,
  now: number,
): ExperimentDefinition[] {
  return experiments.map((experiment) => ({
    namespace,
    name: experiment.metadata.name,
    spec: experiment.spec,
    state: experimentState(experiment, now),
    updatedAt: now,
  }));
}
