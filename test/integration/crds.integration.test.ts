// The generated CRDs and admission policy on a real kube-apiserver: they install, every
// example applies (client-side and server-side), bad manifests are refused with a message that
// says what to fix, and kubectl get / patch / explain work as the docs promise.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, kubectl, kubectlOk, waitFor, type TestNamespace } from "../k8s/helpers.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const CRDS = ["featureflags", "segments", "experiments"].map((plural) =>
  path.join(root, "crds", `${plural}.flags.vexil.dev.yaml`),
);
const POLICY = path.join(root, "deploy", "admission-policy.yaml");
const BAD = path.join(root, "test", "fixtures", "bad");
const examples = fs.existsSync(path.join(root, "examples"))
  ? fs
      .readdirSync(path.join(root, "examples"))
      .filter((file) => file.endsWith(".yaml"))
      .sort()
  : [];

/** Bad manifests admission must refuse, with the text of the message that names the fix. */
const REJECTED: Array<[file: string, message: string]> = [
  ["unknown-operator.yaml", 'spec.rules[0].conditions[0].operator: Unsupported value: "matches"'],
  ["unknown-type.yaml", 'spec.type: Unsupported value: "integer"'],
  [
    "unknown-default-variant.yaml",
    "spec.defaultVariant: Invalid value: spec.defaultVariant must name one of spec.variants",
  ],
  ["boolean-string-value.yaml", "spec.variants[].value must be true or false for a boolean flag"],
  ["percentage-over-100.yaml", "spec.rollout.percentage in body should be less than or equal to 100"],
  [
    "split-weights-zero.yaml",
    "spec.rules[0].serve.split: Invalid value: split weights must add up to more than 0 (all are 0)",
  ],
  [
    "gradual-missing-duration.yaml",
    "spec.rollout: Required value: rollout strategy gradual requires from, to, start, duration",
  ],
  ["unknown-rule-variant.yaml", "spec.rules[].serve.variant must name one of spec.variants"],
  ["invalid-regex.yaml", "error parsing regexp"],
  ["unknown-field.yaml", ".spec.rolout: field not declared in schema"],
];

const flag = (name: string, spec: string) =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec: ${spec}\n`;

let ns: TestNamespace;

beforeAll(async () => {
  await kubectlOk([
    "apply",
    "--server-side",
    "--force-conflicts",
    "--field-manager=vexil-crds-test",
    ...CRDS.flatMap((f) => ["-f", f]),
  ]);
  await kubectlOk([
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    ...CRDS.map((f) => `crd/${path.basename(f, ".yaml")}`),
  ]);
  await kubectlOk(["apply", "--server-side", "--force-conflicts", "--field-manager=vexil-crds-test", "-f", POLICY]);
  ns = await createTestNamespace("crds");
  // The admission policy takes effect once the API server has compiled it.
  await waitFor(
    async () => {
      const result = await kubectl(["apply", "--dry-run=server", "-f", "-"], {
        namespace: ns.name,
        input: flag("policy-probe", '{variants: [{name: "on", value: "yes"}, {name: "off", value: false}]}'),
      });
      return result.code !== 0 && result.stderr.includes("must be true or false");
    },
    30_000,
    250,
  );
});

afterAll(async () => {
  await ns?.cleanup();
});

describe("CRDs on a real API server", () => {
  it("finds the examples to apply", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("applies examples/%s client-side and server-side", async (file) => {
    const manifest = path.join(root, "examples", file);
    const clientSide = await createTestNamespace("ex-client");
    const serverSide = await createTestNamespace("ex-server");
    try {
      const client = await kubectl(["apply", "-f", manifest], { namespace: clientSide.name });
      expect(client.stderr).toBe("");
      expect(client.code).toBe(0);
      const server = await kubectl(["apply", "--server-side", "-f", manifest], { namespace: serverSide.name });
      expect(server.stderr).toBe("");
      expect(server.code).toBe(0);
    } finally {
      await clientSide.cleanup();
      await serverSide.cleanup();
    }
  });

  it.each(REJECTED)("refuses test/fixtures/bad/%s with a message saying what to fix", async (file, message) => {
    const result = await kubectl(["apply", "--server-side", "-f", path.join(BAD, file)], { namespace: ns.name });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it("refuses an unknown field in a client-side apply too (kubectl validates strictly by default)", async () => {
    const result = await kubectl(["apply", "-f", path.join(BAD, "unknown-field.yaml")], { namespace: ns.name });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown field "spec.rolout"');
  });

  it("refuses a flag that lists itself as a prerequisite", async () => {
    const result = await kubectl(["apply", "-f", "-"], {
      namespace: ns.name,
      input: flag("loop", '{prerequisites: [{flag: loop, variants: ["on"]}]}'),
    });
    expect(result.stderr).toContain("spec.prerequisites[].flag must not name the flag itself");
  });

  it("refuses a fractional number in condition values, which must then be written as a string", async () => {
    const spec = (value: string) =>
      `{rules: [{conditions: [{attribute: score, operator: greaterThan, values: [${value}]}], serve: {variant: "on"}}]}`;
    const number = await kubectl(["apply", "-f", "-"], { namespace: ns.name, input: flag("fraction", spec("1.5")) });
    expect(number.stderr).toContain("must be of type integer,string");
    await kubectlOk(["apply", "-f", "-"], { namespace: ns.name, input: flag("fraction", spec('"1.5"')) });
  });

  it("applies the defaults a bare boolean flag relies on", async () => {
    await kubectlOk(["apply", "-f", "-"], { namespace: ns.name, input: flag("bare", "{}") });
    const spec = JSON.parse(
      await kubectlOk(["get", "featureflag", "bare", "-o", "jsonpath={.spec}"], { namespace: ns.name }),
    );
    expect(spec).toEqual({ type: "boolean", enabled: true, killSwitch: false });
  });

  it("shows type, enabled, kill switch, rollout, percentage, ready and last evaluated in kubectl get ff, and answers to the vexil category", async () => {
    await kubectlOk(["apply", "-f", "-"], {
      namespace: ns.name,
      input: flag("columns", "{enabled: false, rollout: {strategy: percentage, percentage: 25}}"),
    });
    const table = await kubectlOk(["get", "ff", "columns"], { namespace: ns.name });
    const [header, row] = table.trim().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual([
      "NAME",
      "TYPE",
      "ENABLED",
      "KILL SWITCH",
      "ROLLOUT",
      "PERCENTAGE",
      "READY",
      "LAST EVALUATED",
      "AGE",
    ]);
    expect(row).toMatch(/^columns\s+boolean\s+false\s+false\s+percentage\s+25\s+/);
    expect(await kubectlOk(["get", "vexil", "-o", "name"], { namespace: ns.name })).toContain(
      "featureflag.flags.vexil.dev/columns",
    );
  });

  it("accepts the SRE kill-switch patch", async () => {
    await kubectlOk(["apply", "-f", "-"], { namespace: ns.name, input: flag("kill-me", "{}") });
    await kubectlOk(["patch", "featureflag", "kill-me", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    expect(await kubectlOk(["get", "ff", "kill-me", "-o", "jsonpath={.spec.killSwitch}"], { namespace: ns.name })).toBe(
      "true",
    );
  });

  it("keeps status behind the status subresource", async () => {
    await kubectlOk(["apply", "-f", "-"], { namespace: ns.name, input: flag("with-status", "{}") });
    const status =
      '{"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"Reconciled","message":"ok","lastTransitionTime":"2026-11-24T09:00:00Z"}]}}';
    await kubectlOk(["patch", "ff", "with-status", "--type", "merge", "-p", status], { namespace: ns.name });
    expect(await kubectlOk(["get", "ff", "with-status", "-o", "jsonpath={.status}"], { namespace: ns.name })).toBe("");
    await kubectlOk(["patch", "ff", "with-status", "--subresource=status", "--type", "merge", "-p", status], {
      namespace: ns.name,
    });
    const table = await kubectlOk(["get", "ff", "with-status"], { namespace: ns.name });
    expect(table.trim().split("\n")[1]).toMatch(/\sTrue\s/);
  });

  it("documents itself in kubectl explain", async () => {
    const text = await waitFor(
      async () => {
        const result = await kubectl(["explain", "featureflag.spec.rollout"]);
        return result.code === 0 && result.stdout;
      },
      30_000,
      500,
    );
    expect(text).toContain("How traffic that no target or rule decided is rolled out.");
    expect(text).toMatch(/strategy\s+<string> -required-/);
    expect(text).toContain("percentage | gradual | ring | canary | targeted");
    expect(text).toContain("gradual and canary: when the schedule starts.");
  });
});
