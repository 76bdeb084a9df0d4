// A ValidatingAdmissionPolicy for the checks a CRD's own CEL cannot make:
// - variant values: `value` is any JSON (x-kubernetes-preserve-unknown-fields), and CRD rules
//   cannot see fields without a declared type, while admission policies evaluate dynamically;
// - references whose estimated cost is beyond the CRD budget (split entries, environments);
// - regular expressions: Kubernetes CEL has no isRegex(), so `''.matches(v)` compiles the
//   pattern with RE2 and an invalid one makes the expression fail (failurePolicy Fail denies).
// Policies are charged by actual runtime cost, not by worst-case estimates.
// Beside it, a MutatingAdmissionPolicy that stamps who changed a resource (auditStampPolicies).
import {
  LAST_MODIFIED_AT_ANNOTATION,
  LAST_MODIFIED_BY_ANNOTATION,
  LAST_MODIFIED_GENERATION_ANNOTATION,
  LAST_MODIFIED_VIA_ANNOTATION,
  STAMP_ANNOTATIONS,
} from "../../core/audit/stamp.ts";
import { API_GROUP, API_VERSION } from "../../core/schema/index.ts";
import { flagPolicyReferenceRules } from "./cel-flag.ts";
import type { CelRule, JsonSchema } from "./json-schema.ts";

const SPEC = "variables.spec";

const VALUE_TYPES = [
  ["boolean", "type(v.value) == bool", "true or false"],
  ["string", "type(v.value) == string", "a string"],
  ["number", "(type(v.value) == int || type(v.value) == uint || type(v.value) == double)", "a number"],
  ["json", "(type(v.value) == map || type(v.value) == list)", "a JSON object or array"],
] as const;

const valueRules: CelRule[] = VALUE_TYPES.map(([type, check, words]) => ({
  rule: `${SPEC}.type != '${type}' || !has(${SPEC}.variants) || ${SPEC}.variants.all(v, ${check})`,
  message: `spec.variants[].value must be ${words} for a ${type} flag`,
}));

/** CEL: every regex condition in the list `conditions` compiles (errors when one does not). */
function regexesCompile(conditions: string): string {
  return (
    `${conditions}.all(c, c.operator != 'regex' || !has(c.values) || ` +
    `c.values.all(x, type(x) != string || ''.matches(x) || !''.matches(x)))`
  );
}

function inRules(rules: string): string {
  return `!has(${rules}) || ${rules}.all(r, !has(r.conditions) || ${regexesCompile("r.conditions")})`;
}

const REGEX_MESSAGE = "regex condition values must be valid RE2 regular expressions (no backreferences or lookaround)";

const flagRegexRules: CelRule[] = [
  { rule: inRules(`${SPEC}.rules`), message: `spec.rules[].conditions: ${REGEX_MESSAGE}` },
  {
    rule: `!has(${SPEC}.environments) || ${SPEC}.environments.all(e, ${inRules(`${SPEC}.environments[e].rules`)})`,
    message: `spec.environments.<name>.rules[].conditions: ${REGEX_MESSAGE}`,
  },
];

const segmentRegexRules: CelRule[] = [
  {
    rule: `!has(${SPEC}.conditions) || ${regexesCompile(`${SPEC}.conditions`)}`,
    message: `spec.conditions: ${REGEX_MESSAGE}`,
  },
];

function policy(name: string, resource: string, rules: CelRule[]): JsonSchema[] {
  const metadata = { name, labels: { "app.kubernetes.io/name": "vexil", "app.kubernetes.io/part-of": "vexil" } };
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata,
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [API_GROUP],
              apiVersions: [API_VERSION],
              operations: ["CREATE", "UPDATE"],
              resources: [resource],
            },
          ],
        },
        variables: [{ name: "spec", expression: "object.spec" }],
        validations: rules.map((rule) => ({ expression: rule.rule, message: rule.message, reason: "Invalid" })),
      },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata,
      spec: { policyName: name, validationActions: ["Deny"] },
    },
  ];
}

/** Policy and binding documents for FeatureFlags and Segments. */
export function admissionPolicies(): JsonSchema[] {
  return [
    ...policy("vexil-featureflags", "featureflags", [
      ...valueRules,
      ...flagPolicyReferenceRules(SPEC),
      ...flagRegexRules,
    ]),
    ...policy("vexil-segments", "segments", segmentRegexRules),
  ];
}

const STAMP_KEYS = `[${STAMP_ANNOTATIONS.map((key) => `'${key}'`).join(", ")}]`;

/** CEL: the spec changed (or the resource is new): the write gets a new generation. */
const SPEC_CHANGED = "request.operation == 'CREATE' || oldObject.?spec != object.?spec";

/** CEL: the write sets, changes or removes one of the stamp annotations. */
const STAMP_TOUCHED = `${STAMP_KEYS}.exists(k, oldObject.metadata.?annotations[?k] != object.metadata.?annotations[?k])`;

/** CEL: the generation this write produces (the API server adds one when the spec changes). */
const NEXT_GENERATION =
  "request.operation == 'CREATE' ? 1 : oldObject.metadata.?generation.orValue(0) + (oldObject.?spec != object.?spec ? 1 : 0)";

/**
 * A MutatingAdmissionPolicy stamping who changed the spec of a FeatureFlag, Segment or Experiment,
 * with which tool (the request's field manager) and when, into annotations (see core/audit/stamp.ts). CEL has no clock: the time is the newest
 * managedFields entry, which the API server has just set for this write. Updates that leave the spec
 * and the stamps alone are not matched, so an unchanged re-apply stays a no-op. failurePolicy Fail:
 * no change goes through unattributed while the policy is installed.
 */
export function auditStampPolicies(): JsonSchema[] {
  const name = "vexil-audit-stamp";
  const metadata = { name, labels: { "app.kubernetes.io/name": "vexil", "app.kubernetes.io/part-of": "vexil" } };
  const annotations = [
    `'${LAST_MODIFIED_BY_ANNOTATION}': request.userInfo.username`,
    `'${LAST_MODIFIED_AT_ANNOTATION}': variables.times.size() > 0 ? string(variables.times.max()) : ''`,
    `'${LAST_MODIFIED_VIA_ANNOTATION}': string(request.?options.?fieldManager.orValue(''))`,
    `'${LAST_MODIFIED_GENERATION_ANNOTATION}': string(${NEXT_GENERATION})`,
  ];
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingAdmissionPolicy",
      metadata,
      spec: {
        failurePolicy: "Fail",
        reinvocationPolicy: "Never",
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [API_GROUP],
              apiVersions: [API_VERSION],
              operations: ["CREATE", "UPDATE"],
              resources: ["featureflags", "segments", "experiments"],
            },
          ],
        },
        matchConditions: [{ name: "spec-or-stamp-changed", expression: `${SPEC_CHANGED} || ${STAMP_TOUCHED}` }],
        variables: [
          {
            name: "times",
            expression: "object.metadata.?managedFields.orValue([]).filter(m, has(m.time)).map(m, timestamp(m.time))",
          },
        ],
        mutations: [
          {
            patchType: "ApplyConfiguration",
            applyConfiguration: {
              expression: `Object{metadata: Object.metadata{annotations: {${annotations.join(", ")}}}}`,
            },
          },
        ],
      },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingAdmissionPolicyBinding",
      metadata,
      spec: { policyName: name },
    },
  ];
}
