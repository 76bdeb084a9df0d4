import { describe, expect, it } from "vitest";
import { formatProblem, parseManifests, ProblemCode, sourceOf } from "../../../core/manifest/load.ts";
import { validateResources } from "../../../core/validate/index.ts";

const flag = (name: string, spec = "  type: boolean\n") =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

describe("parseManifests: YAML", () => {
  it("reads every document of a multi-document file and skips empty ones", () => {
    const text = `---\n${flag("a")}---\n# only a comment\n---\n${flag("b")}`;
    const { resources, problems } = parseManifests(text, "flags.yaml");
    expect(problems).toEqual([]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a", "b"]);
    expect(sourceOf(resources[1]!)).toEqual({ file: "flags.yaml", document: 3 });
  });

  it("applies schema defaults (type boolean, enabled, not killed, environment production)", () => {
    const { resources } = parseManifests(flag("a", "  description: x\n"));
    expect(resources[0]?.spec).toMatchObject({ type: "boolean", enabled: true, killSwitch: false });
  });

  it("keeps YAML 1.2 scalars: on/off/yes stay strings and times stay text", () => {
    const { resources, problems } = parseManifests(
      flag("a", "  type: string\n  variants:\n    - { name: on, value: yes }\n  defaultVariant: on\n"),
    );
    expect(problems).toEqual([]);
    expect(resources[0]?.spec).toMatchObject({ variants: [{ name: "on", value: "yes" }] });
  });

  it("reports one problem per schema issue, each with its field path", () => {
    const text = flag("a", "  type: boolean\n  enabled: maybe\n  rollout: { strategy: percentage, percentage: -5 }\n");
    const { resources, problems } = parseManifests(text, "f.yaml");
    expect(resources).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'f.yaml (document 1) FeatureFlag "a": spec.enabled: must be true or false (got "maybe")',
      'f.yaml (document 1) FeatureFlag "a": spec.rollout.percentage: must be at least 0 (got -5)',
    ]);
    expect(problems.every((p) => p.code === ProblemCode.SCHEMA)).toBe(true);
  });

  it("says which field is required when one is missing", () => {
    const { problems } = parseManifests(
      "apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: {}\nspec: {}\n",
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(["metadata.name: is required"]);
  });

  it("explains name rules in Kubernetes terms", () => {
    const { problems } = parseManifests(flag("New_Checkout"));
    expect(problems[0]?.message).toBe(
      `must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (got "New_Checkout")`,
    );
    expect(problems[0]?.name).toBe("New_Checkout");
  });

  it("rejects a document that is not a mapping", () => {
    const { problems } = parseManifests("- just\n- a list of strings\n", "list.yaml");
    expect(problems.map(formatProblem)).toEqual([
      'list.yaml (document 1, item 1): expected a resource mapping with apiVersion, kind, metadata and spec (got "just")',
      'list.yaml (document 1, item 2): expected a resource mapping with apiVersion, kind, metadata and spec (got "a list of strings")',
    ]);
  });

  it("names the supported kinds when kind is missing", () => {
    const { problems } = parseManifests("apiVersion: flags.vexil.dev/v1alpha1\nmetadata: { name: x }\n");
    expect(problems[0]).toMatchObject({ code: ProblemCode.UNKNOWN_KIND });
    expect(problems[0]?.message).toContain("missing kind; supported kinds: FeatureFlag, Segment, Experiment");
  });
});

describe("parseManifests: JSON", () => {
  const json = (name: string) => ({
    apiVersion: "flags.vexil.dev/v1alpha1",
    kind: "FeatureFlag",
    metadata: { name },
    spec: { type: "boolean" },
  });

  it("reads a single resource", () => {
    const { resources, problems } = parseManifests(JSON.stringify(json("a")), "a.json");
    expect(problems).toEqual([]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a"]);
  });

  it("reads an array of resources, locating each by item", () => {
    const bad = { ...json("b"), spec: { type: "integer" } };
    const { resources, problems } = parseManifests(JSON.stringify([json("a"), bad]), "all.json");
    expect(resources.map((r) => r.metadata.name)).toEqual(["a"]);
    expect(problems.map(formatProblem)).toEqual([
      'all.json (document 1, item 2) FeatureFlag "b": spec.type: must be one of: boolean, string, number, json (got "integer")',
    ]);
  });

  it("reads a kind: List as kubectl get -o json prints it", () => {
    const list = { apiVersion: "v1", kind: "List", items: [json("a"), json("b")] };
    const { resources, problems } = parseManifests(JSON.stringify(list, null, 2), "list.json");
    expect(problems).toEqual([]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a", "b"]);
    expect(sourceOf(resources[1]!)).toEqual({ file: "list.json", document: 1, item: 2 });
  });

  it("rejects duplicate keys that JSON.parse would silently accept", () => {
    const { problems } = parseManifests('{\n  "kind": "FeatureFlag",\n  "kind": "Segment"\n}', "dup.json");
    expect(problems.map(formatProblem)).toEqual([
      'dup.json:3:4 (document 1): duplicate key "kind": a key may appear only once in a mapping',
    ]);
  });

  it("reports a JSON syntax error with its line", () => {
    const { problems } = parseManifests('{\n  "kind": "FeatureFlag",\n  "metadata": {\n}', "broken.json");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: ProblemCode.YAML_SYNTAX, file: "broken.json", line: 4 });
  });
});

describe("parseManifests stops at the schema; validation runs once, after", () => {
  it("leaves semantic checks to validate, which also checks references", () => {
    const text = flag(
      "a",
      "  type: boolean\n  defaultVariant: maybe\n  rules:\n    - segments: [elsewhere]\n      serve: { variant: 'on' }\n",
    );
    const { resources, problems } = parseManifests(text);
    expect(resources).toHaveLength(1);
    expect(problems).toEqual([]);
    expect(validateResources(resources).map((p) => p.code)).toEqual([
      ProblemCode.UNKNOWN_VARIANT,
      ProblemCode.UNKNOWN_SEGMENT,
    ]);
  });

  it("finds duplicates inside the text in validation, not in parsing", () => {
    const { resources, problems } = parseManifests(`${flag("a")}---\n${flag("a")}`, "x.yaml");
    expect(problems).toEqual([]);
    expect(validateResources(resources).map((p) => p.code)).toEqual([ProblemCode.DUPLICATE_RESOURCE]);
  });

  it("treats the same name in different namespaces as different resources", () => {
    const ns = (n: string) => flag("a").replace("  name: a\n", `  name: a\n  namespace: ${n}\n`);
    const { resources, problems } = parseManifests(`${ns("shop")}---\n${ns("blog")}`);
    expect([...problems, ...validateResources(resources)]).toEqual([]);
  });
});
