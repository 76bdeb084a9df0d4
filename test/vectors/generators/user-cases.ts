// Cases for the generated evaluation vectors beyond the operator matrix: every rollout strategy
// and the experiment over non-ASCII, emoji, empty and 10 KB user keys; prerequisites; bucketBy
// values; metadata; and every error code (the TypeScript engine gives the expectations).
import type { EvaluateOptions } from "../../../core/evaluate/result.ts";

export interface CaseInput {
  description: string;
  flag: string;
  context: unknown;
  options?: EvaluateOptions;
}

interface Keys {
  keys: string[];
  longKeys: { repeat: string; times: number }[];
}

const fallback = (defaultValue: EvaluateOptions["defaultValue"], expectedType?: EvaluateOptions["expectedType"]) =>
  expectedType === undefined ? { defaultValue } : { defaultValue, expectedType };

function shown(key: string): string {
  return key.length > 24 ? `${JSON.stringify(key.slice(0, 8))}×${key.length}` : JSON.stringify(key);
}

/** Every user key under each hashing flag (long keys only where keys.json lists their salts). */
function strategyCases(keys: Keys): CaseInput[] {
  const longKeys = keys.longKeys.map((k) => k.repeat.repeat(k.times));
  const cases: CaseInput[] = [];
  const each = (flag: string, users: string[], extra: (user: string) => Record<string, unknown> = () => ({})) => {
    for (const user of users) {
      cases.push({
        description: `${flag} for user ${shown(user)}`,
        flag,
        context: { targetingKey: user, ...extra(user) },
        options: fallback("fallback"),
      });
    }
  };
  each("gen-percentage", [...keys.keys, ...longKeys]);
  each("gen-percentage-split", [...keys.keys, ...longKeys], (user) => ({ companyId: user }));
  each("gen-gradual", keys.keys);
  each("gen-canary", keys.keys);
  each("gen-experiment", [...keys.keys, ...longKeys], () => ({ beta: "true" }));
  each("gen-experiment", keys.keys.slice(0, 5), () => ({ appVersion: "v2.1.0" }));
  each("gen-experiment", keys.keys.slice(0, 3), () => ({ email: "BOSS@example.com", beta: true }));
  each("gen-rules", keys.keys, () => ({ beta: true }));
  each("gen-targeted", keys.keys, () => ({ email: "dev@Example.COM" }));
  return cases;
}

const AUDIENCES: { what: string; context: Record<string, unknown> | null }[] = [
  { what: "staff by e-mail domain", context: { targetingKey: "u1", email: "Dev@EXAMPLE.com" } },
  { what: "staff by included key", context: { targetingKey: "u2", email: "boss@example.com" } },
  { what: "staff excluded beats conditions", context: { targetingKey: "u3", email: "intern@example.com" } },
  { what: "beta by included non-ASCII key", context: { targetingKey: "José" } },
  { what: "beta by included emoji key", context: { targetingKey: "😀" } },
  { what: "beta by attribute", context: { targetingKey: "u4", beta: "true" } },
  { what: "beta by semver", context: { targetingKey: "u5", appVersion: "2.0.1-rc.1" } },
  { what: "beta prerelease below", context: { targetingKey: "u6", appVersion: "2.0.0-rc.1" } },
  { what: "ring values, non-ASCII", context: { targetingKey: "u7", country: "ÉIRE" } },
  { what: "ring values, CJK", context: { targetingKey: "u8", country: "日本" } },
  { what: "ring values are case-sensitive", context: { targetingKey: "u9", country: "éire" } },
  { what: "outer ring not yet reached", context: { targetingKey: "never-reached" } },
  { what: "nobody", context: { targetingKey: "u10", country: "FR" } },
  { what: "no context", context: null },
  { what: "rule with two conditions", context: { targetingKey: "u11", country: "UK", plan: "premium" } },
  { what: "rule with one of two conditions", context: { targetingKey: "u12", country: "UK", plan: "free" } },
  { what: "target with empty key", context: { targetingKey: "" } },
];

function audienceCases(): CaseInput[] {
  return ["gen-ring", "gen-targeted", "gen-rules"].flatMap((flag) =>
    AUDIENCES.map(({ what, context }) => ({
      description: `${flag}: ${what}`,
      flag,
      context,
      options: fallback("fallback"),
    })),
  );
}

function prerequisiteCases(): CaseInput[] {
  const cases: CaseInput[] = [];
  for (const i of [0, 1, 2, 17]) {
    cases.push({
      description: `prerequisite chain from gen-chain-${i} (${17 - i} deep)`,
      flag: `gen-chain-${i}`,
      context: {},
    });
  }
  for (const user of ["user-1", "user-2", "user-3", "user-42", "user-99", "José"]) {
    cases.push({
      description: `two prerequisites for ${user}`,
      flag: "gen-prereq-multi",
      context: { targetingKey: user },
    });
  }
  cases.push(
    { description: "prerequisite that errors counts as unmet", flag: "gen-prereq-error", context: {} },
    {
      description: "prerequisite that errors, with a key",
      flag: "gen-prereq-error",
      context: { targetingKey: "user-1" },
    },
    { description: "prerequisite served off by a disabled flag", flag: "gen-prereq-disabled", context: {} },
    { description: "malformed prerequisite counts as unmet", flag: "gen-prereq-broken", context: {} },
  );
  return cases;
}

const BUCKET_BY: [string, unknown][] = [
  ["integer", 42],
  ["integral float", 42.0],
  ["negative integer", -7],
  ["largest safe integer", 9007199254740991],
  ["unsafe integer falls back", 9007199254740992],
  ["fraction falls back", 1.5],
  ["boolean falls back", true],
  ["empty string is a value", ""],
  ["non-ASCII string", "José"],
  ["null falls back", null],
  ["object falls back", { id: 42 }],
];

function bucketByCases(): CaseInput[] {
  const cases: CaseInput[] = BUCKET_BY.map(([what, companyId]) => ({
    description: `bucketBy companyId: ${what}`,
    flag: "gen-bucket-by",
    context: { targetingKey: "user-99", companyId },
    options: fallback("fallback"),
  }));
  cases.push(
    { description: "bucketBy missing, targetingKey used", flag: "gen-bucket-by", context: { targetingKey: "user-2" } },
    {
      description: "bucketBy and targetingKey missing",
      flag: "gen-bucket-by",
      context: { companyId: 1.5 },
      options: fallback("fallback"),
    },
    { description: "rollout without any key", flag: "gen-percentage", context: {}, options: fallback("fallback") },
    { description: "rollout with no context", flag: "gen-percentage", context: null, options: fallback("fallback") },
    {
      description: "experiment audience without a key falls through",
      flag: "gen-experiment",
      context: { beta: "true" },
      options: fallback("fallback"),
    },
    {
      description: "rule split without a key",
      flag: "gen-rules",
      context: { beta: "true" },
      options: fallback({ none: true }),
    },
  );
  return cases;
}

function metadataCases(): CaseInput[] {
  return [
    { description: "metadata: target keyed by the empty string", flag: "gen-metadata", context: { targetingKey: "" } },
    { description: "metadata: target keyed in Cyrillic", flag: "gen-metadata", context: { targetingKey: "ключ" } },
    {
      description: "metadata: attribute named __proto__",
      flag: "gen-metadata",
      context: JSON.parse('{"__proto__": 1}'),
    },
    { description: "metadata: attribute with an empty name", flag: "gen-metadata", context: { "": "empty-name" } },
    { description: "metadata: nothing matches", flag: "gen-metadata", context: { constructor: "x", toString: "y" } },
  ];
}

const TYPES = ["boolean", "string", "number", "object"] as const;
const CONTEXTS: [string, unknown][] = [
  ["targetingKey null", { targetingKey: null }],
  ["targetingKey number", { targetingKey: 42 }],
  ["targetingKey boolean", { targetingKey: true }],
  ["targetingKey array", { targetingKey: ["a"] }],
  ["targetingKey object", { targetingKey: { id: "a" } }],
  ["context number", 5],
  ["context boolean", true],
  ["context string", "user-1"],
  ["context array", []],
];

function errorCases(): CaseInput[] {
  const cases: CaseInput[] = [];
  for (const [flag, defaultValue] of [
    ["gen-number", 0],
    ["gen-json", {}],
    ["static-bool", false],
    ["gen-percentage", "x"],
  ] as const) {
    for (const type of TYPES) {
      cases.push({
        description: `${flag} asked as ${type}`,
        flag,
        context: { targetingKey: "user-1" },
        options: fallback(defaultValue, type),
      });
    }
  }
  for (const [what, context] of CONTEXTS) {
    cases.push({
      description: `invalid context: ${what}`,
      flag: "gen-percentage",
      context,
      options: fallback("fallback"),
    });
  }
  for (const key of [
    "GEN-PERCENTAGE",
    "",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "gen-😀",
    "gen-percentage ",
  ]) {
    cases.push({ description: `unknown flag ${JSON.stringify(key)}`, flag: key, context: {}, options: fallback(null) });
  }
  for (const flag of MALFORMED_KEYS) {
    cases.push({
      description: `malformed flag ${flag}`,
      flag,
      context: { targetingKey: "user-1", a: "x" },
      options: fallback("fallback"),
    });
  }
  return cases;
}

const MALFORMED_KEYS = [
  "gen-bad-weights",
  "gen-bad-negative-weight",
  "gen-bad-operator",
  "gen-bad-rollout-null",
  "gen-bad-rule-both",
  "gen-bad-rule-neither",
  "gen-bad-value-bool",
  "gen-bad-values-null",
  "gen-bad-metadata",
  "gen-bad-variant-type",
  "gen-bad-no-split-salt",
  "gen-bad-type",
  "gen-bad-rollout-kind",
  "gen-bad-percentage",
  "gen-bad-experiment",
  "gen-bad-segment-key",
  "gen-bad-match",
  "gen-bad-target",
  "gen-bad-prerequisites",
  "gen-bad-killed",
  "gen-bad-not-object",
  "gen-bad-variants-array",
];

export function userCases(keys: Keys): CaseInput[] {
  return [
    ...strategyCases(keys),
    ...audienceCases(),
    ...prerequisiteCases(),
    ...bucketByCases(),
    ...metadataCases(),
    ...errorCases(),
  ];
}
