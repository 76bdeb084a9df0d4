// Experiment resources → the definitions readers of the store need (spec and state), written by
// whoever owns the resources: the operator's leader, or `vexil serve` in directory mode.
import { isRunning } from "../core/compile/experiments.ts";
import type { ExperimentResource } from "../core/schema/index.ts";
import type { ExperimentPhase } from "../core/schema/experiment-status.ts";
import type { ExperimentDefinition } from "./store.ts";

export function experimentPhase(experiment: Pick<ExperimentResource, "spec">, now: number): ExperimentPhase {
  if (isRunning(experiment as ExperimentResource, now)) return "Running";
  const start = experiment.spec.start;
  return start !== undefined && Date.parse(start) > now ? "Pending" : "Concluded";
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
    phase: experimentPhase(experiment, now),
    updatedAt: now,
  }));
}
