// The generated CRDs must be structural schemas the API server accepts, document every field
// and carry the CEL rules, printer columns and names users rely on.
import { describe, expect, it } from "vitest";
import { RESOURCE_KINDS, featureFlagSchema, type ResourceKind } from "../../../core/schema/index.ts";
import { validateFlag } from "../../../core/validate/flag.ts";
import { buildCrd, openApiSchema } from "../../../scripts/generate/crd.ts";
import type { CelRule, JsonSchema } from "../../../scripts/generate/json-schema.ts";

const ALLOWED_KEYS = new Set([
  "description",
  "type",
  "format",
  "enum",
  "default",
  "nullable",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "maxProperties",
  "x-kubernetes-validations",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
]);

interface Visit {
  path: string;
  node: JsonSchema;
  isProperty: boolean;
}

function walk(node: JsonSchema, path = "", isProperty = false, out: Visit[] = []): Visit[] {
  out.push({ path, node, isProperty });
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
    walk(child, path ? `${path}.${name}` : name, true, out);
  }
  if (node.items) walk(node.items as JsonSchema, `${path}[]`, false, out);
  if (typeof node.additionalProperties === "object")
    walk(node.additionalProperties as JsonSchema, `${path}.*`, true, out);
  return out;
}

function versionOf(kind: ResourceKind) {
  const spec = buildCrd(kind).spec as { versions: Array<Record<string, unknown>> };
  return spec.versions[0] as {
    additionalPrinterColumns: Array<{ name: string; jsonPath: string; priority?: number }>;
    subresources: unknown;
  };
}

function rulesAt(kind: ResourceKind, path: string): CelRule[] {
  const visit = walk(openApiSchema(kind)).find((v) => v.path === path);
  if (!visit) throw new Error(`no node at ${path}`);
  return (visit.node["x-kubernetes-validations"] as CelRule[] | undefined) ?? [];
}

describe.each(RESOURCE_KINDS)("%s CRD schema", (kind) => {
  const nodes = walk(openApiSchema(kind));

  it("is structural: every node has a type or is int-or-string / preserve-unknown-fields", () => {
    const untyped = nodes.filter(
      ({ node }) => !node.type && !node["x-kubernetes-int-or-string"] && !node["x-kubernetes-preserve-unknown-fields"],
    );
    expect(untyped.map((v) => v.path)).toEqual([]);
  });

  it("uses no $ref, unions, negation or closed objects", () => {
    const offending = nodes.flatMap(({ path, node }) =>
      Object.keys(node)
        .filter((key) => !ALLOWED_KEYS.has(key))
        .map((key) => `${path}: ${key}`),
    );
    expect(offending).toEqual([]);
    expect(JSON.stringify(openApiSchema(kind))).not.toMatch(/"\$ref"|"\$defs"|"anyOf"|"oneOf"|"allOf"|"not"/);
  });

  it("describes every field, and says nothing about metadata beyond its type", () => {
    const undocumented = nodes.filter((v) => v.isProperty && v.path !== "metadata" && !v.node.description);
    expect(undocumented.map((v) => v.path)).toEqual([]);
    expect(nodes.find((v) => v.path === "metadata")?.node).toEqual({ type: "object" });
  });

  it("bounds every list in spec, so CEL rules stay within the cost budget", () => {
    const unbounded = nodes.filter(
      (v) => v.path.startsWith("spec") && v.node.type === "array" && v.node.maxItems === undefined,
    );
    expect(unbounded.map((v) => v.path)).toEqual([]);
  });

  it("gives every CEL rule a message", () => {
    const rules = nodes.flatMap((v) => (v.node["x-kubernetes-validations"] as CelRule[] | undefined) ?? []);
    expect(rules.every((rule) => rule.rule.length > 0 && rule.message.length > 10)).toBe(true);
  });

  it("serves v1alpha1 with the status subresource, category vexil and a Ready and Age column", () => {
    const crd = buildCrd(kind) as { spec: { scope: string; names: { categories: string[] } } };
    expect(crd.spec.scope).toBe("Namespaced");
    expect(crd.spec.names.categories).toEqual(["vexil"]);
    const version = versionOf(kind);
    expect(version.subresources).toEqual({ status: {} });
    const columns = version.additionalPrinterColumns.map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(["Ready", "Age"]));
  });
});

describe("FeatureFlag CRD", () => {
  const nodes = walk(openApiSchema("FeatureFlag"));
  const at = (path: string) => nodes.find((v) => v.path === path)?.node ?? {};

  it("has the short names ff and flag and the columns platform engineers scan", () => {
    const crd = buildCrd("FeatureFlag") as { spec: { names: { shortNames: string[] } } };
    expect(crd.spec.names.shortNames).toEqual(["ff", "flag"]);
    const columns = versionOf("FeatureFlag").additionalPrinterColumns;
    expect(columns.map((c) => c.name)).toEqual([
      "Type",
      "Enabled",
      "Kill Switch",
      "Rollout",
      "Percentage",
      "Ready",
      "Reason",
      "Last Evaluated",
      "Stale",
      "Age",
    ]);
    expect(columns.find((c) => c.name === "Ready")?.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
    expect(columns.find((c) => c.name === "Last Evaluated")).toMatchObject({
      type: "date",
      jsonPath: ".status.usage.lastEvaluatedAt",
    });
  });

  it("keeps enums, defaults, formats and bounds from the zod schema", () => {
    expect(at("spec.type")).toMatchObject({
      type: "string",
      enum: ["boolean", "string", "number", "json"],
      default: "boolean",
    });
    expect(at("spec.enabled")).toMatchObject({ type: "boolean", default: true });
    expect(at("spec.killSwitch")).toMatchObject({ type: "boolean", default: false });
    expect(at("spec.rollout.strategy").enum).toEqual(["percentage", "gradual", "ring", "canary", "targeted"]);
    expect((at("spec.rules[].conditions[].operator").enum as string[]).length).toBe(19);
    expect(at("spec.rollout.percentage")).toMatchObject({ type: "number", minimum: 0, maximum: 100 });
    expect(at("spec.rollout.start")).toEqual(expect.objectContaining({ type: "string", format: "date-time" }));
    expect(at("spec.variants")).toMatchObject({ maxItems: 100 });
    expect(at("spec.variants[].name")).toMatchObject({ maxLength: 63 });
  });

  it("keeps variant values open, condition values int-or-string and environments a map", () => {
    expect(at("spec.variants[].value")).toMatchObject({ "x-kubernetes-preserve-unknown-fields": true, nullable: true });
    expect(at("spec.rules[].conditions[].values[]")).toMatchObject({
      "x-kubernetes-int-or-string": true,
      maxLength: 1024,
    });
    expect(at("spec.environments")).toMatchObject({ type: "object", maxProperties: 20 });
    expect(at("spec.environments.*.rollout.strategy").enum).toHaveLength(5);
    expect(rulesAt("FeatureFlag", "spec.environments")[0]?.rule).toContain("k.matches(");
  });

  it("checks variant references and required variants on spec", () => {
    const messages = rulesAt("FeatureFlag", "spec").map((rule) => rule.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("spec.defaultVariant must name one of spec.variants"),
        expect.stringContaining("spec.offVariant must name one of spec.variants"),
        expect.stringContaining("spec.variants names must be unique"),
        expect.stringContaining("spec.targets[].variant must name"),
        expect.stringContaining("spec.rules[].serve.variant must name"),
      ]),
    );
    const fieldPaths = rulesAt("FeatureFlag", "spec").map((rule) => rule.fieldPath);
    expect(fieldPaths).toContain(".defaultVariant");
  });

  it("checks serve, split weights and rollout fields wherever they appear, environments included", () => {
    for (const base of ["spec", "spec.environments.*"]) {
      expect(rulesAt("FeatureFlag", `${base}.rules[].serve`).map((r) => r.rule)).toContain(
        "has(self.variant) != has(self.split)",
      );
      expect(rulesAt("FeatureFlag", `${base}.rules[].serve.split`)[0]?.message).toContain("more than 0");
      expect(rulesAt("FeatureFlag", `${base}.rollout`).map((r) => r.message)).toContain(
        "rollout strategy gradual requires from, to, start, duration",
      );
    }
    expect(rulesAt("FeatureFlag", "status.conditions[]")).toEqual([]);
  });

  it.each(["percentage", "gradual", "ring", "canary", "targeted"] as const)(
    "requires the same rollout fields for %s as core/validate",
    (strategy) => {
      const flag = featureFlagSchema.parse({
        apiVersion: "flags.vexil.dev/v1alpha1",
        kind: "FeatureFlag",
        metadata: { name: "f" },
        spec: { rollout: { strategy } },
      });
      const missing = validateFlag(flag)
        .filter((p) => p.message.includes("is required for strategy"))
        .map((p) => (p.path ?? "").replace("spec.rollout.", ""));
      const rule = rulesAt("FeatureFlag", "spec.rollout").find((r) =>
        r.message.startsWith(`rollout strategy ${strategy} requires`),
      );
      expect(rule?.message).toBe(`rollout strategy ${strategy} requires ${missing.join(", ")}`);
    },
  );
});

describe("Experiment and Segment CRDs", () => {
  it("checks the control variant and stop after start", () => {
    const messages = rulesAt("Experiment", "spec").map((r) => r.message);
    expect(messages).toContain("spec.control must name one of spec.variants[].variant");
    expect(messages).toContain("spec.stop must be after spec.start");
  });

  it("gives experiments flag, phase, leading variant, lift, chance, SRM and age columns and segments a Match column", () => {
    const columns = versionOf("Experiment").additionalPrinterColumns;
    expect(columns.filter((c) => c.priority === undefined).map((c) => c.name)).toEqual([
      "Flag",
      "Phase",
      "Leading",
      "Lift",
      "Beat Control",
      "SRM",
      "Age",
    ]);
    expect(columns.filter((c) => c.priority === 1).map((c) => c.name)).toEqual([
      "Environment",
      "Recommendation",
      "Ready",
    ]);
    expect(versionOf("Segment").additionalPrinterColumns.map((c) => c.name)).toEqual(["Match", "Ready", "Age"]);
  });

  it("checks segment conditions with the same rules as flag conditions", () => {
    expect(rulesAt("Segment", "spec.conditions[]").map((r) => r.message)).toEqual(
      rulesAt("FeatureFlag", "spec.rules[].conditions[]").map((r) => r.message),
    );
  });
});
