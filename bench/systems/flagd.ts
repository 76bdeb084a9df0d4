// flagd's in-process engine (@openfeature/flagd-core, what flagd's JavaScript in-process provider
// runs): the flag definition JSON of bench/cases.ts, JSON Logic targeting with `fractional`.
import { FlagdCore } from "@openfeature/flagd-core";
import { FLAG_KEYS, flagdConfiguration, type BenchUser } from "../cases.ts";
import { packageVersion, type Answer, type BenchSystem, type SystemCase } from "./system.ts";

export function flagdSystem(): BenchSystem {
  const core = new FlagdCore();
  core.setConfigurations(flagdConfiguration());
  const answer = (result: unknown) => (result as { value: Answer }).value;
  const boolean = (key: string): SystemCase => ({
    run: (context) => core.resolveBooleanEvaluation(key, false, context as Record<string, string>),
    answer,
  });
  return {
    name: "flagd-core",
    version: packageVersion("@openfeature/flagd-core"),
    api: "resolveBooleanEvaluation / resolveStringEvaluation",
    contexts: (users: readonly BenchUser[]) =>
      users.map((u) => ({ targetingKey: u.id, country: u.country, plan: u.plan })),
    cases: {
      static: boolean(FLAG_KEYS.static),
      rule: boolean(FLAG_KEYS.rule),
      rollout: boolean(FLAG_KEYS.rollout),
      split: {
        run: (context) => core.resolveStringEvaluation(FLAG_KEYS.split, "", context as Record<string, string>),
        answer,
      },
    },
  };
}
