// GrowthBook's multi-user server client (GrowthBookClient: one instance, a user context per
// call), features given locally through initSync: no client key, no polling, no streaming.
import { GrowthBookClient, type FeatureDefinition, type UserContext } from "@growthbook/growthbook";
import { FLAG_KEYS, ROLLOUT_PERCENTAGE, SPLIT_WEIGHTS, type BenchUser } from "../cases.ts";
import { packageVersion, type Answer, type BenchSystem, type SystemCase } from "./system.ts";

export function growthbookFeatures(): Record<string, FeatureDefinition> {
  return {
    [FLAG_KEYS.static]: { defaultValue: true },
    [FLAG_KEYS.rule]: {
      defaultValue: false,
      rules: [{ condition: { country: { $in: ["US", "UK"] }, plan: "premium" }, force: true }],
    },
    // a rollout rule: `force` for the `coverage` share of users hashed by `id`
    [FLAG_KEYS.rollout]: {
      defaultValue: false,
      rules: [{ force: true, coverage: ROLLOUT_PERCENTAGE / 100, hashAttribute: "id" }],
    },
    // an experiment rule: weighted variations
    [FLAG_KEYS.split]: {
      defaultValue: "a",
      rules: [
        {
          key: FLAG_KEYS.split,
          variations: ["a", "b", "c"],
          weights: [SPLIT_WEIGHTS.a / 100, SPLIT_WEIGHTS.b / 100, SPLIT_WEIGHTS.c / 100],
          hashAttribute: "id",
        },
      ],
    },
  };
}

export function growthbookSystem(): BenchSystem {
  const client = new GrowthBookClient({});
  client.initSync({ payload: { features: growthbookFeatures() } });
  const call = (key: string): SystemCase => ({
    run: (context) => client.evalFeature(key, context as UserContext),
    answer: (result) => (result as { value: Answer }).value,
  });
  return {
    name: "growthbook",
    version: packageVersion("@growthbook/growthbook"),
    api: "GrowthBookClient.evalFeature(key, userContext)",
    contexts: (users: readonly BenchUser[]) =>
      users.map((u): UserContext => ({ attributes: { id: u.id, country: u.country, plan: u.plan } })),
    cases: {
      static: call(FLAG_KEYS.static),
      rule: call(FLAG_KEYS.rule),
      rollout: call(FLAG_KEYS.rollout),
      split: call(FLAG_KEYS.split),
    },
    close: () => client.destroy(),
  };
}
