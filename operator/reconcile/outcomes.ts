// Turns one environment's compilation into an outcome per resource (what its status and
// Events will say), and keeps the outcomes of every environment so a resource's status can
// speak for all of them.
import { formatProblem, type ManifestProblem } from "../../core/manifest/load.ts";
import { canonicalJson } from "../../core/snapshot/canonical-json.ts";
import { sha256Hex } from "../../core/snapshot/hash.ts";
import type { EnvironmentOutcome } from "../status/desired.ts";
import { reasonForProblem } from "../status/reasons.ts";
import type { EnvironmentCompilation, ParsedInput } from "./compile-environment.ts";

export class OutcomeBook {
  private readonly byResource = new Map<string, Map<string, EnvironmentOutcome>>();

  get(key: string): ReadonlyMap<string, EnvironmentOutcome> {
    return this.byResource.get(key) ?? new Map();
  }

  set(key: string, environment: string, outcome: EnvironmentOutcome): EnvironmentOutcome | undefined {
    let outcomes = this.byResource.get(key);
    if (!outcomes) {
      outcomes = new Map();
      this.byResource.set(key, outcomes);
    }
    const previous = outcomes.get(environment);
    outcomes.set(environment, outcome);
    return previous;
  }

  forget(key: string): void {
    this.byResource.delete(key);
  }
}

export function outcomeFor(
  input: ParsedInput,
  compiled: EnvironmentCompilation,
  configMap: string,
): EnvironmentOutcome {
  const problems = (compiled.problems.get(input.key) ?? []).map(toStatusProblem);
  const servingGeneration = compiled.servingLastGood.get(input.key);
  const served = !compiled.excluded.has(input.key);
  const outcome: EnvironmentOutcome = { generation: input.generation, problems, served };
  if (servingGeneration !== undefined) outcome.servingGeneration = servingGeneration;
  if (input.kind !== "FeatureFlag" || !served) return outcome;
  const flag = compiled.snapshot.flags[input.name];
  if (!flag) return { ...outcome, served: false };
  outcome.snapshotVersion = sha256Hex(canonicalJson(flag)).slice(0, 16);
  outcome.configMap = configMap;
  const rollout = compiled.rollouts[input.name];
  if (rollout) {
    outcome.rollout = { percentage: rollout.percentage };
    if (rollout.step !== undefined) outcome.rollout.step = rollout.step;
    if (rollout.nextStepAt !== undefined) outcome.rollout.nextStepAt = rollout.nextStepAt;
  }
  return outcome;
}

function toStatusProblem(problem: ManifestProblem): EnvironmentOutcome["problems"][number] {
  const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
  return { reason: reasonForProblem(problem.code), message };
}

/** One line per problem for logs, e.g. `FeatureFlag "shop/checkout": spec.rules[0].segments[0]: ...`. */
export function describeProblems(problems: readonly ManifestProblem[]): string[] {
  return problems.map((problem) => formatProblem({ ...problem, file: "cluster" }));
}
