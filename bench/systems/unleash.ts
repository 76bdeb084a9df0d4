// Unleash's Node SDK, fully offline: the features come from `bootstrap.data`, the backup store is
// in memory, polling (refreshInterval 0) and metrics are off, so it never calls the (unused,
// loopback) URL. The engine benchmark's socket guard proves it.
import { InMemStorageProvider, Unleash, type Context } from "unleash-client";
import { FLAG_KEYS, ROLLOUT_PERCENTAGE, SPLIT_WEIGHTS, type BenchUser } from "../cases.ts";
import { packageVersion, type BenchSystem } from "./system.ts";

export function unleashFeatures() {
  const on = { name: "default", parameters: {}, constraints: [] };
  const variant = (name: keyof typeof SPLIT_WEIGHTS) => ({
    name,
    weight: SPLIT_WEIGHTS[name] * 10, // Unleash weights are out of 1000
    weightType: "variable",
    stickiness: "userId",
    payload: { type: "string", value: name },
  });
  return [
    { name: FLAG_KEYS.static, enabled: true, strategies: [on] },
    {
      name: FLAG_KEYS.rule,
      enabled: true,
      strategies: [
        {
          name: "default",
          parameters: {},
          constraints: [
            { contextName: "country", operator: "IN", values: ["US", "UK"] },
            { contextName: "plan", operator: "IN", values: ["premium"] },
          ],
        },
      ],
    },
    {
      name: FLAG_KEYS.rollout,
      enabled: true,
      strategies: [
        {
          name: "flexibleRollout",
          parameters: { rollout: String(ROLLOUT_PERCENTAGE), stickiness: "userId", groupId: FLAG_KEYS.rollout },
          constraints: [],
        },
      ],
    },
    { name: FLAG_KEYS.split, enabled: true, strategies: [on], variants: [variant("a"), variant("b"), variant("c")] },
  ];
}

/** Starts the client and waits until the bootstrap is loaded. */
export async function unleashSystem(): Promise<BenchSystem> {
  const unleash = new Unleash({
    appName: "vexil-bench",
    url: "http://127.0.0.1:9/unused",
    refreshInterval: 0,
    disableMetrics: true,
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: unleashFeatures() as never },
  });
  const errors: unknown[] = [];
  unleash.on("error", (error: unknown) => errors.push(error));
  const ready = new Promise<void>((resolve) => unleash.once("ready", () => resolve()));
  await unleash.start();
  await ready;
  if (errors.length > 0) throw new Error(`unleash-client failed to start offline: ${String(errors[0])}`);
  const enabled = (key: string) => ({
    run: (context: unknown) => unleash.isEnabled(key, context as Context),
    answer: (result: unknown) => result as boolean,
  });
  return {
    name: "unleash-client",
    version: packageVersion("unleash-client"),
    api: "isEnabled / getVariant",
    contexts: (users: readonly BenchUser[]) =>
      users.map((u): Context => ({ userId: u.id, properties: { country: u.country, plan: u.plan } })),
    cases: {
      static: enabled(FLAG_KEYS.static),
      rule: enabled(FLAG_KEYS.rule),
      rollout: enabled(FLAG_KEYS.rollout),
      split: {
        run: (context) => unleash.getVariant(FLAG_KEYS.split, context as Context),
        answer: (result) => (result as { payload?: { value: string } }).payload?.value,
      },
    },
    close: () => unleash.destroy(),
  };
}
