// CEL rules on a FeatureFlag's spec: the checks core/validate/flag.ts makes that need more than
// one field (variants and the names that refer to them). In the CRD they sit on `spec` (self),
// because only there can a rule see spec.variants and the references together; the checks the
// CRD cost budget cannot afford go to the ValidatingAdmissionPolicy (spec = variables.spec).
import type { CelRule } from "./json-schema.ts";

/**
 * CEL: does `name` name a variant of `spec`? Boolean flags without variants have the implicit
 * "on"/"off" (core/validate/effective.ts); other flags must declare variants.
 */
export function knownVariant(name: string, spec = "self"): string {
  return `(has(${spec}.variants) ? ${spec}.variants.exists(v, v.name == ${name}) : (${spec}.type == 'boolean' && ${name} in ['on', 'off']))`;
}

const VARIANT_HINT = 'one of spec.variants (boolean flags without variants: "on" or "off")';

const variantRules: CelRule[] = [
  {
    rule: "self.type == 'boolean' || (has(self.variants) && size(self.variants) > 0)",
    message: "spec.variants is required for string, number and json flags (only boolean flags get on/off by default)",
    fieldPath: ".variants",
    reason: "FieldValueRequired",
  },
  {
    rule: "!has(self.variants) || self.variants.all(a, self.variants.exists_one(b, b.name == a.name))",
    message: "spec.variants names must be unique: a variant is declared twice",
    fieldPath: ".variants",
    reason: "FieldValueDuplicate",
  },
  {
    rule: "!has(self.variants) || !self.variants.exists(v, has(v.weight)) || self.variants.exists(v, has(v.weight) && v.weight > 0)",
    message: "spec.variants weights must add up to more than 0 (all are 0)",
    fieldPath: ".variants",
  },
];

const namedVariantRules: CelRule[] = [
  {
    rule: "self.type == 'boolean' || has(self.defaultVariant)",
    message:
      "spec.defaultVariant is required for string, number and json flags: name the variant served when nothing else decides",
    fieldPath: ".defaultVariant",
    reason: "FieldValueRequired",
  },
  {
    rule: `has(self.defaultVariant) ? ${knownVariant("self.defaultVariant")} : (self.type != 'boolean' || ${knownVariant("'on'")})`,
    message: `spec.defaultVariant must name ${VARIANT_HINT}; boolean flags default to "on"`,
    fieldPath: ".defaultVariant",
  },
  {
    rule: `has(self.offVariant) ? ${knownVariant("self.offVariant")} : (self.type != 'boolean' || ${knownVariant("'off'")})`,
    message: `spec.offVariant must name ${VARIANT_HINT}; boolean flags default to "off"`,
    fieldPath: ".offVariant",
  },
];

/** Variant references in targets, rules and rollout of `base` (the spec or one environment). */
function referenceRules(spec: string, base: string, label: string): CelRule[] {
  const known = (name: string) => knownVariant(name, spec);
  return [
    {
      rule: `!has(${base}.targets) || ${base}.targets.all(t, ${known("t.variant")})`,
      message: `${label}.targets[].variant must name ${VARIANT_HINT}`,
      fieldPath: ".targets",
    },
    {
      rule: `!has(${base}.rules) || ${base}.rules.all(r, !has(r.serve.variant) || ${known("r.serve.variant")})`,
      message: `${label}.rules[].serve.variant must name ${VARIANT_HINT}`,
      fieldPath: ".rules",
    },
    {
      rule: `!has(${base}.rules) || ${base}.rules.all(r, !has(r.serve.split) || r.serve.split.all(s, ${known("s.variant")}))`,
      message: `${label}.rules[].serve.split[].variant must name ${VARIANT_HINT}`,
      fieldPath: ".rules",
    },
    {
      rule: `!has(${base}.rollout) || !has(${base}.rollout.variant) || ${known(`${base}.rollout.variant`)}`,
      message: `${label}.rollout.variant must name ${VARIANT_HINT}`,
      fieldPath: ".rollout",
    },
  ];
}

/** The same references inside every spec.environments entry. */
function environmentRules(spec: string): CelRule[] {
  const env = `${spec}.environments[e]`;
  const label = "spec.environments.<name>";
  const rules: CelRule[] = [
    {
      rule: `!has(${env}.defaultVariant) || ${knownVariant(`${env}.defaultVariant`, spec)}`,
      message: `${label}.defaultVariant must name ${VARIANT_HINT}`,
    },
    ...referenceRules(spec, env, label),
  ];
  return rules.map((rule) => ({
    ...rule,
    rule: `!has(${spec}.environments) || ${spec}.environments.all(e, ${rule.rule})`,
    fieldPath: ".environments",
  }));
}

const isSplitRule = (rule: CelRule) => rule.message.includes("split[]");
const specReferences = referenceRules("self", "self", "spec");

/** Rules on `spec` of the FeatureFlag CRD: what fits the API server's CEL cost budget. */
export const flagSpecRules: CelRule[] = [
  ...variantRules,
  ...namedVariantRules,
  ...specReferences.filter((rule) => !isSplitRule(rule)),
  ...environmentRules("self").slice(0, 1),
];

/**
 * The references the CRD cannot afford (split entries, and everything inside environments:
 * 200 rules × 100 split entries × 100 variants), for the admission policy over `spec`.
 */
export function flagPolicyReferenceRules(spec: string): CelRule[] {
  const expensive = [...referenceRules(spec, spec, "spec").filter(isSplitRule), ...environmentRules(spec).slice(1)];
  return expensive;
}

/** Rules on the FeatureFlag object itself (they read metadata.name). */
export const flagRootRules: CelRule[] = [
  {
    rule: "!has(self.spec.prerequisites) || self.spec.prerequisites.all(p, p.flag != self.metadata.name)",
    message: "spec.prerequisites[].flag must not name the flag itself (a flag cannot depend on itself)",
    fieldPath: ".spec.prerequisites",
  },
];
