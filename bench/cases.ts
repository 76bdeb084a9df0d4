// The four benchmark cases, stated once in Vexil's own YAML; each peer adapter expresses the
// same behaviour natively (bench/systems/*.ts). The users rotate so that hashing work is real
// (a single cached user would flatter any system that memoises).

export const CASE_IDS = ["static", "rule", "rollout", "split"] as const;
export type CaseId = (typeof CASE_IDS)[number];

export const CASE_TITLES: Record<CaseId, string> = {
  static: "(a) static on",
  rule: "(b) two-condition rule, matched",
  rollout: "(c) 25% rollout, rotating users",
  split: "(d) 50/30/20 split, rotating users",
};

/** Flag key of each case: every system uses the same keys. */
export const FLAG_KEYS: Record<CaseId, string> = {
  static: "static-on",
  rule: "premium-us-uk",
  rollout: "rollout-25",
  split: "split-50-30-20",
};

export const SPLIT_WEIGHTS = { a: 50, b: 30, c: 20 } as const;
export const ROLLOUT_PERCENTAGE = 25;

/** A user of the benchmark, in neutral form; each system maps it to its own context shape. */
export interface BenchUser {
  id: string;
  country: string;
  plan: string;
}

export const USER_COUNT = 1000;

/** 1000 users who all satisfy case (b): premium, alternating US and UK. */
export function benchUsers(count = USER_COUNT): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `user-${i}`,
    country: i % 2 === 0 ? "US" : "UK",
    plan: "premium",
  }));
}

/** Users who must NOT match case (b): the sanity check proves each rule really tests both conditions. */
export const NON_MATCHING_USERS: BenchUser[] = [
  { id: "user-de", country: "DE", plan: "premium" },
  { id: "user-free", country: "US", plan: "free" },
];

/** The four flags as Vexil manifests (what a user would keep in git). */
export const VEXIL_YAML = `apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: ${FLAG_KEYS.static} }
spec:
  type: boolean
  defaultVariant: "on"
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: ${FLAG_KEYS.rule} }
spec:
  type: boolean
  defaultVariant: "off"
  rules:
    - name: premium-in-us-uk
      conditions:
        - { attribute: country, operator: in, values: [US, UK] }
        - { attribute: plan, operator: equals, values: [premium] }
      serve: { variant: "on" }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: ${FLAG_KEYS.rollout} }
spec:
  type: boolean
  defaultVariant: "on"
  offVariant: "off"
  rollout: { strategy: percentage, percentage: ${ROLLOUT_PERCENTAGE} }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: ${FLAG_KEYS.split} }
spec:
  type: string
  variants:
    - { name: a, value: a, weight: ${SPLIT_WEIGHTS.a} }
    - { name: b, value: b, weight: ${SPLIT_WEIGHTS.b} }
    - { name: c, value: c, weight: ${SPLIT_WEIGHTS.c} }
  defaultVariant: a
`;

/** The same four flags in flagd's flag definition JSON (JSON Logic; `fractional` for traffic). */
export function flagdConfiguration(): string {
  const boolVariants = { on: true, off: false };
  const flags = {
    [FLAG_KEYS.static]: { state: "ENABLED", variants: boolVariants, defaultVariant: "on" },
    [FLAG_KEYS.rule]: {
      state: "ENABLED",
      variants: boolVariants,
      defaultVariant: "off",
      targeting: {
        if: [
          { and: [{ in: [{ var: "country" }, ["US", "UK"]] }, { "==": [{ var: "plan" }, "premium"] }] },
          "on",
          "off",
        ],
      },
    },
    [FLAG_KEYS.rollout]: {
      state: "ENABLED",
      variants: boolVariants,
      defaultVariant: "off",
      targeting: {
        fractional: [
          ["on", ROLLOUT_PERCENTAGE],
          ["off", 100 - ROLLOUT_PERCENTAGE],
        ],
      },
    },
    [FLAG_KEYS.split]: {
      state: "ENABLED",
      variants: { a: "a", b: "b", c: "c" },
      defaultVariant: "a",
      targeting: {
        fractional: [
          ["a", SPLIT_WEIGHTS.a],
          ["b", SPLIT_WEIGHTS.b],
          ["c", SPLIT_WEIGHTS.c],
        ],
      },
    },
  };
  return JSON.stringify({ $schema: "https://flagd.dev/schema/v0/flags.json", flags });
}
