// docs/reference.md: one field table per resource, from the same structural schema the CRDs
// serve, so the docs cannot drift from what the API server accepts.
import { API_GROUP, API_VERSION, RESOURCE_KINDS, type ResourceKind } from "../../core/schema/index.ts";
import {
  LAST_MODIFIED_AT_ANNOTATION,
  LAST_MODIFIED_BY_ANNOTATION,
  LAST_MODIFIED_GENERATION_ANNOTATION,
  LAST_MODIFIED_VIA_ANNOTATION,
} from "../../core/audit/stamp.ts";
import { admissionPolicies } from "./admission-policy.ts";
import { MAP_LIMITS, openApiSchema } from "./crd.ts";
import { isObject, type CelRule, type JsonSchema } from "./json-schema.ts";
import { resourceNames } from "./printer-columns.ts";

interface Row {
  path: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

function typeOf(node: JsonSchema): string {
  if (node["x-kubernetes-int-or-string"]) return "integer or string";
  if (node["x-kubernetes-preserve-unknown-fields"] && node.type === undefined) return "any JSON";
  const items = node.items as JsonSchema | undefined;
  if (node.type === "array" && items) return `list of ${typeOf(items)}`;
  if (node.type === "object" && isObject(node.additionalProperties))
    return `map of ${typeOf(node.additionalProperties)}`;
  const base = node.format === "date-time" ? "timestamp" : String(node.type);
  return Array.isArray(node.enum) ? `${base} (${node.enum.join(" | ")})` : base;
}

function limits(node: JsonSchema): string {
  const parts: string[] = [];
  if (node.minimum !== undefined || node.maximum !== undefined)
    parts.push(`${node.minimum ?? "…"}–${node.maximum ?? "…"}`);
  if (node.maxLength !== undefined) parts.push(`≤ ${node.maxLength} chars`);
  if (node.maxItems !== undefined) parts.push(`≤ ${node.maxItems} items`);
  if (node.maxProperties !== undefined) parts.push(`≤ ${node.maxProperties} entries`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function collect(node: JsonSchema, path: string, required: boolean, rows: Row[]): void {
  if (path !== "") {
    rows.push({
      path,
      type: typeOf(node) + limits(node),
      required,
      default: node.default === undefined ? "" : `\`${JSON.stringify(node.default)}\``,
      description: String(node.description ?? ""),
    });
  }
  const properties = isObject(node.properties) ? (node.properties as Record<string, JsonSchema>) : {};
  const requiredNames = new Set((node.required as string[] | undefined) ?? []);
  for (const [name, child] of Object.entries(properties)) {
    collect(child, path === "" ? name : `${path}.${name}`, requiredNames.has(name), rows);
  }
  if (node.type === "array" && isObject(node.items) && isObject(node.items.properties)) {
    const items = node.items as JsonSchema;
    for (const [name, child] of Object.entries(items.properties as Record<string, JsonSchema>)) {
      collect(child, `${path}[].${name}`, ((items.required as string[] | undefined) ?? []).includes(name), rows);
    }
  }
  if (isObject(node.additionalProperties)) collect(node.additionalProperties, `${path}.<name>`, false, rows);
}

function rulesOf(node: JsonSchema, path: string, out: string[]): void {
  for (const rule of (node["x-kubernetes-validations"] as CelRule[] | undefined) ?? [])
    out.push(`- \`${path || "(object)"}\`: ${rule.message}`);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
    rulesOf(child, path === "" ? name : `${path}.${name}`, out);
  }
  if (isObject(node.items)) rulesOf(node.items, `${path}[]`, out);
  if (isObject(node.additionalProperties)) rulesOf(node.additionalProperties, `${path}.<name>`, out);
}

/** Messages of the admission policy's validations for one resource (plural name). */
function policyMessages(plural: string): string[] {
  const policy = admissionPolicies().find(
    (doc) => doc.kind === "ValidatingAdmissionPolicy" && JSON.stringify(doc.spec).includes(`"resources":["${plural}"]`),
  );
  const validations = ((policy?.spec as JsonSchema | undefined)?.validations ?? []) as Array<{ message: string }>;
  return validations.map((validation) => `- ${validation.message}`);
}

function section(kind: ResourceKind): string {
  const schema = openApiSchema(kind);
  const rows: Row[] = [];
  collect(schema, "", true, rows);
  const names = resourceNames[kind];
  const table = rows
    .filter((row) => row.path !== "metadata")
    .map(
      (row) =>
        `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? "yes" : ""} | ${row.default} | ${cell(row.description)} |`,
    );
  const rules: string[] = [];
  rulesOf(schema, "", rules);
  const policy = policyMessages(names.plural);
  return [
    `## ${kind}`,
    "",
    `${cell(String(schema.description ?? ""))} Plural \`${names.plural}\`, short names ${names.shortNames.map((n) => `\`${n}\``).join(", ")}.`,
    "",
    "| Field | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
    ...table,
    "",
    "Checked by the API server (CEL rules in the CRD):",
    "",
    ...rules,
    "",
    ...(policy.length > 0
      ? ["Checked by the ValidatingAdmissionPolicy (deploy/admission-policy.yaml):", "", ...policy, ""]
      : []),
  ].join("\n");
}

const NOTES = `## How resources are validated

- **Unknown fields.** The CRDs are structural: fields they do not declare are pruned, not stored.
  Ask for rejection instead: server-side apply (\`kubectl apply --server-side\`) and
  \`kubectl apply --validate=strict\` (the default of recent kubectl) make the API server refuse
  unknown fields (field validation \`Strict\`). \`vexil validate\` rejects them too.
- **Condition values** are integer-or-string (\`x-kubernetes-int-or-string\`, the only scalar union
  Kubernetes allows): write numbers with a fraction as strings, e.g. \`values: ["1.5"]\`.
- **Variant values** may be any JSON (\`x-kubernetes-preserve-unknown-fields\`). CRD rules cannot
  see a field without a declared type, so the check that they match \`spec.type\` lives in the
  ValidatingAdmissionPolicy \`vexil-featureflags\` (\`deploy/admission-policy.yaml\`, also in the
  Helm chart), together with checks the CRD's CEL cost budget cannot afford: split entries and
  variant references inside \`spec.environments\`, and regex conditions (Kubernetes CEL has no
  \`isRegex\`; the policy compiles each pattern with \`matches()\` and is denied with RE2's error).
- **spec.environments** holds at most ${MAP_LIMITS["spec.environments"]} entries in a cluster: every CEL rule under it is costed per
  entry, and the API server refuses rules without a bound.
- Whatever admission lets through, the operator validates again with core/validate (the same
  checks as \`vexil validate\`) and reports problems in the \`Stalled\` condition.
- **Who changed it**: the MutatingAdmissionPolicy \`vexil-audit-stamp\` (\`deploy/audit-policy.yaml\`,
  also in the Helm chart) stamps \`${LAST_MODIFIED_BY_ANNOTATION}\` (the requesting user),
  \`${LAST_MODIFIED_AT_ANNOTATION}\`, \`${LAST_MODIFIED_VIA_ANNOTATION}\` (its field manager) and
  \`${LAST_MODIFIED_GENERATION_ANNOTATION}\` on every
  create and spec change of the three resources; the operator's audit trail names that user
  ([operator.md](operator.md#events-and-the-audit-log)).
`;

export function referenceDoc(): string {
  return [
    "<!-- generated by npm run generate from core/schema; do not edit -->",
    "# Resource reference",
    "",
    `Group \`${API_GROUP}\`, version \`${API_VERSION}\`, namespaced. \`kubectl explain featureflag.spec\` shows the same descriptions.`,
    "Lists use `[]`, map entries `<name>`.",
    "",
    NOTES,
    "",
    ...RESOURCE_KINDS.map(section),
  ].join("\n");
}
