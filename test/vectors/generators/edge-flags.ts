// Hand-written compiled flags for the generated vectors: prerequisite chains, bucketBy values,
// metadata, type checks and malformed entries (each a PARSE_ERROR for a different reason).
import type { CompiledFlag } from "../../../core/snapshot/snapshot.ts";

type Raw = Record<string, unknown>;

export function stringFlag(key: string, extra: Raw = {}): Raw {
  return {
    key,
    type: "string",
    variants: { a: "A", b: "B", c: "C" },
    defaultVariant: "a",
    offVariant: "c",
    enabled: true,
    killSwitch: false,
    prerequisites: [],
    targets: {},
    rules: [],
    splitSalt: `${key}/split`,
    hasTargeting: true,
    ...extra,
  };
}

const rule = (extra: Raw): Raw => ({ name: "r", segments: [], conditions: [], ...extra });

/** Prerequisite chain gen-chain-0 → gen-chain-1 → … → gen-chain-17 (static): deeper than 16 fails. */
function chain(): Record<string, Raw> {
  const flags: Record<string, Raw> = {};
  for (let i = 0; i <= 17; i++) {
    const key = `gen-chain-${i}`;
    const prerequisites = i < 17 ? [{ flag: `gen-chain-${i + 1}`, variants: ["a"] }] : [];
    flags[key] = stringFlag(key, { prerequisites, hasTargeting: false });
  }
  return flags;
}

const MALFORMED: Record<string, Raw> = {
  "gen-bad-weights": stringFlag("gen-bad-weights", {
    split: [
      { variant: "a", weight: 0 },
      { variant: "b", weight: 0 },
    ],
  }),
  "gen-bad-negative-weight": stringFlag("gen-bad-negative-weight", {
    split: [
      { variant: "a", weight: -1 },
      { variant: "b", weight: 2 },
    ],
  }),
  "gen-bad-operator": stringFlag("gen-bad-operator", {
    rules: [rule({ conditions: [{ attribute: "a", operator: "like", values: ["x"] }], variant: "b" })],
  }),
  "gen-bad-rollout-null": stringFlag("gen-bad-rollout-null", { rollout: null }),
  "gen-bad-rule-both": stringFlag("gen-bad-rule-both", {
    rules: [rule({ variant: "b", split: [{ variant: "a", weight: 1 }] })],
  }),
  "gen-bad-rule-neither": stringFlag("gen-bad-rule-neither", { rules: [rule({})] }),
  "gen-bad-value-bool": stringFlag("gen-bad-value-bool", {
    rules: [rule({ conditions: [{ attribute: "a", operator: "equals", values: [true] }], variant: "b" })],
  }),
  "gen-bad-values-null": stringFlag("gen-bad-values-null", {
    rules: [rule({ conditions: [{ attribute: "a", operator: "equals", values: null }], variant: "b" })],
  }),
  "gen-bad-metadata": stringFlag("gen-bad-metadata", { metadata: { nested: { a: 1 } } }),
  "gen-bad-variant-type": { ...stringFlag("gen-bad-variant-type"), type: "number", variants: { a: 1, b: "2", c: 3 } },
  "gen-bad-no-split-salt": { ...stringFlag("gen-bad-no-split-salt"), splitSalt: undefined },
  "gen-bad-type": { ...stringFlag("gen-bad-type"), type: "integer" },
  "gen-bad-rollout-kind": stringFlag("gen-bad-rollout-kind", { rollout: { kind: "ring", matchers: [], salt: "s" } }),
  "gen-bad-percentage": stringFlag("gen-bad-percentage", {
    rollout: { kind: "percentage", percentage: "25", salt: "s" },
  }),
  "gen-bad-experiment": stringFlag("gen-bad-experiment", {
    experiment: { name: "e", salt: "e", traffic: 50, control: "a" },
  }),
  "gen-bad-segment-key": stringFlag("gen-bad-segment-key", {
    rules: [
      rule({
        segments: [{ name: "s", key: 5, included: [], excluded: [], match: "all", conditions: [] }],
        variant: "b",
      }),
    ],
  }),
  "gen-bad-match": stringFlag("gen-bad-match", {
    rules: [rule({ segments: [{ name: "s", included: ["u"], match: "some" }], variant: "b" })],
  }),
  "gen-bad-target": stringFlag("gen-bad-target", { targets: { "user-1": "z" } }),
  "gen-bad-prerequisites": stringFlag("gen-bad-prerequisites", { prerequisites: null }),
  "gen-bad-killed": stringFlag("gen-bad-killed", { killSwitch: true, defaultVariant: "missing" }),
  "gen-bad-not-object": [] as unknown as Raw,
  "gen-bad-variants-array": { ...stringFlag("gen-bad-variants-array"), variants: ["a", "b"] },
};

export function edgeFlags(): Record<string, CompiledFlag> {
  const flags: Record<string, Raw> = {
    ...chain(),
    "gen-number": {
      ...stringFlag("gen-number"),
      type: "number",
      variants: { a: 1, b: 2.5, c: -0.125 },
      hasTargeting: false,
    },
    "gen-json": {
      ...stringFlag("gen-json"),
      type: "json",
      variants: { a: { deep: [1, "ü"] }, b: [], c: "text" },
      hasTargeting: false,
    },
    "gen-disabled-parent": stringFlag("gen-disabled-parent", { enabled: false }),
    "gen-prereq-multi": stringFlag("gen-prereq-multi", {
      prerequisites: [
        { flag: "gen-percentage", variants: ["b"] },
        { flag: "gen-gradual", variants: ["on"] },
      ],
    }),
    "gen-prereq-error": stringFlag("gen-prereq-error", {
      prerequisites: [{ flag: "gen-percentage-split", variants: ["a", "b"] }],
    }),
    "gen-prereq-disabled": stringFlag("gen-prereq-disabled", {
      prerequisites: [{ flag: "gen-disabled-parent", variants: ["c"] }],
    }),
    "gen-prereq-broken": stringFlag("gen-prereq-broken", {
      prerequisites: [{ flag: "gen-bad-weights", variants: ["a"] }],
    }),
    "gen-bucket-by": stringFlag("gen-bucket-by", {
      rollout: {
        kind: "percentage",
        strategy: "percentage",
        percentage: 50,
        bucketBy: "companyId",
        salt: "gen-bucket-by",
        variant: "b",
      },
    }),
    "gen-metadata": stringFlag("gen-metadata", {
      metadata: { team: "ü-team", priority: 2, beta: true },
      targets: { "": "b", ключ: "b" },
      rules: [
        rule({ name: "proto", conditions: [{ attribute: "__proto__", operator: "exists" }], variant: "c" }),
        rule({ name: "", conditions: [{ attribute: "", operator: "equals", values: ["empty-name"] }], variant: "b" }),
      ],
    }),
    ...MALFORMED,
  };
  return flags as unknown as Record<string, CompiledFlag>;
}
