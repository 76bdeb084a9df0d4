import { describe, expect, it } from "vitest";
import type { AnyResource } from "../../../core/manifest/load.ts";
import { featureFlagSchema } from "../../../core/schema/index.ts";
import {
  compileEnvironment,
  goodVersions,
  type LastGood,
  type ParsedInput,
} from "../../../operator/reconcile/compile-environment.ts";
import { servedChanges } from "../../../operator/reconcile/served-changes.ts";

const options = { namespace: "shop", environment: "production", now: new Date("2026-11-24T10:00:00Z") };

function flag(name: string, generation: number, spec: Record<string, unknown>): ParsedInput {
  const resource = featureFlagSchema.parse({
    apiVersion: "flags.vexil.dev/v1alpha1",
    kind: "FeatureFlag",
    metadata: { name, namespace: "shop", generation },
    spec,
  }) as AnyResource;
  return { key: `FeatureFlag/shop/${name}`, kind: "FeatureFlag", name, generation, resource, problems: [] };
}

describe("compileEnvironment", () => {
  it("leaves an invalid flag out, reports its problem, and serves the others", () => {
    const inputs = [
      flag("good", 1, {}),
      flag("bad", 1, { rules: [{ segments: ["ghost"], serve: { variant: "on" } }] }),
    ];
    const result = compileEnvironment(inputs, new Map(), options);
    expect(Object.keys(result.snapshot.flags)).toEqual(["good"]);
    expect(result.excluded.has("FeatureFlag/shop/bad")).toBe(true);
    expect(result.problems.get("FeatureFlag/shop/bad")?.[0]?.code).toBe("UNKNOWN_SEGMENT");
    expect(result.problems.has("FeatureFlag/shop/good")).toBe(false);
    expect([...goodVersions(inputs, result).keys()]).toEqual(["FeatureFlag/shop/good"]);
  });

  it("serves the last good generation of a flag whose new generation is invalid", () => {
    const v1 = flag("banner", 1, { enabled: false });
    const lastGood = new Map<string, LastGood>([[v1.key, { generation: 1, resource: v1.resource! }]]);
    const v2 = flag("banner", 2, { enabled: true, rules: [{ segments: ["ghost"], serve: { variant: "on" } }] });
    const result = compileEnvironment([v2], lastGood, options);
    expect(result.servingLastGood.get(v2.key)).toBe(1);
    expect(result.snapshot.flags.banner?.enabled).toBe(false);
    expect(result.problems.get(v2.key)?.[0]?.message).toMatch(/ghost/);
    expect(goodVersions([v2], result).size).toBe(0);
  });

  it("serves the last good generation of a resource that no longer passes the schema", () => {
    const v1 = flag("legacy", 1, {});
    const broken: ParsedInput = {
      key: v1.key,
      kind: "FeatureFlag",
      name: "legacy",
      generation: 2,
      problems: [{ code: "SCHEMA", message: "bad", kind: "FeatureFlag", name: "legacy" }],
    };
    const result = compileEnvironment(
      [broken],
      new Map([[v1.key, { generation: 1, resource: v1.resource! }]]),
      options,
    );
    expect(Object.keys(result.snapshot.flags)).toEqual(["legacy"]);
    expect(result.servingLastGood.get(v1.key)).toBe(1);
    expect(result.problems.get(v1.key)).toEqual(broken.problems);
  });
});

describe("servedChanges", () => {
  it("lists added, changed and removed flags between two snapshots", () => {
    const before = compileEnvironment([flag("a", 1, {}), flag("b", 1, {})], new Map(), options).snapshot;
    const after = compileEnvironment(
      [flag("a", 2, { killSwitch: true }), flag("c", 1, {})],
      new Map(),
      options,
    ).snapshot;
    expect(servedChanges(before, after)).toEqual({ added: ["c"], changed: ["a"], removed: ["b"] });
    expect(servedChanges(undefined, before)).toEqual({ added: ["a", "b"], changed: [], removed: [] });
  });
});
