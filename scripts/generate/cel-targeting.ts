// CEL rules for the parts of a resource that appear in several places (a flag's own rules and
// each environment's, conditions in flags and segments): keyed by path suffix. They mirror
// core/validate/{targeting,rollout,condition}.ts so admission rejects what the operator would.
import type { CelRule } from "./json-schema.ts";

/** Which rollout fields each strategy requires and allows (core/validate/rollout.ts). */
const STRATEGY_FIELDS = {
  percentage: { required: ["percentage"], allowed: ["percentage"] },
  gradual: {
    required: ["from", "to", "start", "duration"],
    allowed: ["from", "to", "start", "duration", "steps", "pausedAt", "guardrails"],
  },
  ring: { required: ["rings", "currentRing"], allowed: ["rings", "currentRing"] },
  canary: { required: ["percentage", "start"], allowed: ["percentage", "start", "promote", "pausedAt", "guardrails"] },
  targeted: { required: ["segments"], allowed: ["segments"] },
} as const;
type Strategy = keyof typeof STRATEGY_FIELDS;
const STRATEGIES = Object.keys(STRATEGY_FIELDS) as Strategy[];

function requiredFieldRules(): CelRule[] {
  return STRATEGIES.map((strategy) => {
    const fields = STRATEGY_FIELDS[strategy].required;
    return {
      rule: `self.strategy != '${strategy}' || (${fields.map((f) => `has(self.${f})`).join(" && ")})`,
      message: `rollout strategy ${strategy} requires ${fields.join(", ")}`,
      reason: "FieldValueRequired",
    };
  });
}

function foreignFieldRules(): CelRule[] {
  const fields = [...new Set(STRATEGIES.flatMap((s) => STRATEGY_FIELDS[s].allowed as readonly string[]))];
  return fields.map((field) => {
    const users = STRATEGIES.filter((s) => (STRATEGY_FIELDS[s].allowed as readonly string[]).includes(field));
    return {
      rule: `!has(self.${field}) || self.strategy in [${users.map((s) => `'${s}'`).join(", ")}]`,
      message: `rollout.${field} applies only to strategy ${users.join(" or ")}`,
      fieldPath: `.${field}`,
      reason: "FieldValueForbidden",
    };
  });
}

const rolloutRules: CelRule[] = [
  ...requiredFieldRules(),
  ...foreignFieldRules(),
  {
    rule: "self.strategy != 'gradual' || !has(self.from) || !has(self.to) || self.from <= self.to",
    message: "rollout.from must not exceed rollout.to: a gradual rollout only rises",
    fieldPath: ".from",
  },
  {
    rule: "!has(self.rings) || self.rings.all(a, self.rings.exists_one(b, b.name == a.name))",
    message: "rollout.rings names must be unique",
    fieldPath: ".rings",
    reason: "FieldValueDuplicate",
  },
  {
    rule: "!has(self.currentRing) || !has(self.rings) || self.rings.exists(r, r.name == self.currentRing)",
    message: "rollout.currentRing must name one of rollout.rings",
    fieldPath: ".currentRing",
  },
];

const ringRules: CelRule[] = [
  {
    rule: "(has(self.segments) && size(self.segments) > 0) || (has(self.values) && size(self.values) > 0)",
    message: "a ring needs segments or values to say who is in it",
  },
];

const serveRules: CelRule[] = [
  {
    rule: "has(self.variant) != has(self.split)",
    message: "serve must set exactly one of variant or split",
  },
];

const splitRules: CelRule[] = [
  {
    rule: "self.exists(s, s.weight > 0)",
    message: "split weights must add up to more than 0 (all are 0)",
  },
];

const guardrailRules: CelRule[] = [
  {
    rule: "self.metrics.all(a, self.metrics.exists_one(b, b.event == a.event))",
    message: "guardrails.metrics events must be unique",
    fieldPath: ".metrics",
    reason: "FieldValueDuplicate",
  },
];

const conditionRules: CelRule[] = [
  {
    rule: "self.operator != 'exists' || !has(self.values) || size(self.values) == 0",
    message: "operator exists takes no values",
    fieldPath: ".values",
    reason: "FieldValueForbidden",
  },
  {
    rule: "self.operator == 'exists' || (has(self.values) && size(self.values) > 0)",
    message: "conditions need at least one value (every operator but exists compares with values)",
    fieldPath: ".values",
    reason: "FieldValueRequired",
  },
];

/** Rules by path suffix; a rule applies at every path ending in its key. */
export const sharedRules: Record<string, CelRule[]> = {
  "spec.rollout": rolloutRules,
  "environments.*.rollout": rolloutRules,
  "rollout.rings[]": ringRules,
  "rollout.guardrails": guardrailRules,
  "rules[].serve": serveRules,
  "serve.split": splitRules,
  "conditions[]": conditionRules,
};
