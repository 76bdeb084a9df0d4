// Compiling one namespace × environment under the guardrails: compile with the directives the
// monitor holds, let it check the guarded rollouts that are due, and compile once more when a
// check changed what may be served (a step approved, a rollback). Most reconciles have no
// guarded rollout and compile once.
import type { GuardedRollout } from "../../core/compile/guard.ts";
import {
  compileEnvironment,
  type EnvironmentCompilation,
  type LastGood,
  type ParsedInput,
} from "../reconcile/compile-environment.ts";
import type { LiveResource } from "../resources.ts";
import type { EnvironmentOutcome } from "../status/desired.ts";
import type { GuardrailMonitor, GuardSubject } from "./monitor.ts";

export interface GuardedCompilation {
  compiled: EnvironmentCompilation;
  /** epoch ms of the next guardrail check, when a rollout is guarded */
  nextCheckAt?: number;
}

export async function compileGuarded(
  monitor: GuardrailMonitor | undefined,
  live: readonly LiveResource[],
  inputs: readonly ParsedInput[],
  lastGood: ReadonlyMap<string, LastGood>,
  options: { namespace: string; environment: string; now: Date },
): Promise<GuardedCompilation> {
  if (!monitor) return { compiled: compileEnvironment(inputs, lastGood, options) };
  const flags = new Map(live.filter((r) => r.kind === "FeatureFlag").map((r) => [r.metadata.name, r]));
  const compile = () =>
    compileEnvironment(inputs, lastGood, { ...options, guards: monitor.lookup(options.environment, flags) });
  let compiled = compile();
  const subjects: GuardSubject[] = [];
  for (const [name, rollout] of Object.entries(compiled.rollouts)) {
    const flag = flags.get(name);
    if (flag && rollout.guarded) subjects.push({ live: flag, rollout: { ...rollout, guarded: rollout.guarded } });
  }
  if (subjects.length === 0) return { compiled };
  const checked = await monitor.check(options.environment, subjects, options.now);
  if (checked.changed) compiled = compile();
  return checked.nextCheckAt === undefined ? { compiled } : { compiled, nextCheckAt: checked.nextCheckAt };
}

/** What a flag's outcome says about its guarded rollout: the record, and the promotion it holds back. */
export function guardOutcome(
  monitor: GuardrailMonitor | undefined,
  live: LiveResource,
  environment: string,
  guarded: GuardedRollout | undefined,
): NonNullable<EnvironmentOutcome["rollout"]>["guard"] | undefined {
  if (!monitor || !guarded) return undefined;
  const record = monitor.record(live, environment);
  const guard: NonNullable<NonNullable<EnvironmentOutcome["rollout"]>["guard"]> = {};
  if (record && record.rollout === guarded.rollout) guard.record = record;
  if (guarded.heldPercentage !== undefined && !guarded.rolledBack) {
    guard.held = { step: guarded.step + 1, percentage: guarded.heldPercentage };
  }
  return guard;
}
