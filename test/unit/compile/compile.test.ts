import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { canonicalJson } from "../../../core/snapshot/canonical-json.ts";
import { sha256Hex } from "../../../core/snapshot/hash.ts";
import { at, flag, segment } from "./helpers.ts";

const options = { namespace: "shop", environment: "production", now: at("2026-12-01T00:00:00Z") };

describe("compile: flags", () => {
  it("compiles a plain boolean flag with its implicit variants and STATIC shape", () => {
    const { snapshot, problems } = compile([flag("dark-mode")], options);
    expect(problems).toEqual([]);
    expect(snapshot.flags["dark-mode"]).toEqual({
      key: "dark-mode",
      type: "boolean",
      variants: { on: true, off: false },
      defaultVariant: "on",
      offVariant: "off",
      enabled: true,
      killSwitch: false,
      prerequisites: [],
      targets: {},
      rules: [],
      splitSalt: "dark-mode/split",
      hasTargeting: false,
    });
  });

  it("turns targets into a key → variant map", () => {
    const targets = [
      { variant: "on", values: ["u1", "u2"] },
      { variant: "off", values: ["u3"] },
    ];
    const compiled = compile([flag("f", { targets })], options).snapshot.flags.f;
    expect(compiled?.targets).toEqual({ u1: "on", u2: "on", u3: "off" });
    expect(compiled?.hasTargeting).toBe(true);
  });

  it("inlines segments into rules and names unnamed rules by position", () => {
    const beta = segment("beta", {
      included: ["u1"],
      excluded: ["u9"],
      match: "any",
      key: "accountId",
      conditions: [{ attribute: "optIn", operator: "equals", values: ["yes"] }],
    });
    const rules = [
      {
        name: "beta",
        segments: ["beta"],
        conditions: [{ attribute: "country", operator: "in", values: ["US"] }],
        serve: { variant: "on" },
      },
      {
        serve: {
          split: [
            { variant: "on", weight: 1 },
            { variant: "off", weight: 3 },
          ],
        },
      },
    ];
    const compiled = compile([beta, flag("f", { rules })], options).snapshot.flags.f;
    expect(compiled?.rules).toEqual([
      {
        name: "beta",
        segments: [
          {
            name: "beta",
            key: "accountId",
            included: ["u1"],
            excluded: ["u9"],
            match: "any",
            conditions: [{ attribute: "optIn", operator: "equals", values: ["yes"] }],
          },
        ],
        conditions: [{ attribute: "country", operator: "in", values: ["US"] }],
        variant: "on",
      },
      {
        name: "rule-2",
        segments: [],
        conditions: [],
        split: [
          { variant: "on", weight: 1 },
          { variant: "off", weight: 3 },
        ],
      },
    ]);
  });

  it("turns weighted variants into a split, served inside a rollout that names no variant", () => {
    const variants = [
      { name: "blue", value: "#00f", weight: 50 },
      { name: "green", value: "#0f0", weight: 50 },
    ];
    const spec = {
      type: "string",
      variants,
      defaultVariant: "blue",
      rollout: { strategy: "percentage", percentage: 10 },
    };
    const compiled = compile([flag("color", spec)], options).snapshot.flags.color;
    const split = [
      { variant: "blue", weight: 50 },
      { variant: "green", weight: 50 },
    ];
    expect(compiled?.split).toEqual(split);
    expect(compiled?.rollout).toEqual({
      kind: "percentage",
      strategy: "percentage",
      percentage: 10,
      bucketBy: "targetingKey",
      salt: "color",
      split,
    });
    expect(compiled?.offVariant).toBe("blue");
  });

  it("serves the default variant inside a rollout of an unweighted flag, with the given salt and bucketBy", () => {
    const rollout = { strategy: "percentage", percentage: 30, salt: "reshuffle-1", bucketBy: "accountId" };
    expect(compile([flag("f", { rollout })], options).snapshot.flags.f?.rollout).toEqual({
      kind: "percentage",
      strategy: "percentage",
      percentage: 30,
      bucketBy: "accountId",
      salt: "reshuffle-1",
      variant: "on",
    });
  });
});

describe("compile: environments", () => {
  const spec = {
    rollout: { strategy: "percentage", percentage: 25 },
    environments: {
      staging: { rollout: { strategy: "percentage", percentage: 100 }, targets: [{ variant: "off", values: ["qa"] }] },
      dev: { enabled: false, killSwitch: true, defaultVariant: "off" },
    },
  };

  it("applies only the compiled environment's overrides", () => {
    const compiledIn = (environment: string) =>
      compile([flag("f", spec)], { ...options, environment }).snapshot.flags.f;
    expect(compiledIn("production")).toMatchObject({ rollout: { percentage: 25 }, targets: {}, enabled: true });
    expect(compiledIn("staging")).toMatchObject({ rollout: { percentage: 100 }, targets: { qa: "off" } });
    expect(compiledIn("dev")).toMatchObject({
      enabled: false,
      killSwitch: true,
      defaultVariant: "off",
      rollout: { percentage: 25 },
    });
  });

  it("keeps the flag-level kill switch on in every environment", () => {
    const killed = flag("f", { killSwitch: true, environments: { staging: { killSwitch: false } } });
    expect(compile([killed], { ...options, environment: "staging" }).snapshot.flags.f?.killSwitch).toBe(true);
  });
});

describe("compile: namespaces", () => {
  it("compiles a namespace's own resources and the unnamespaced ones", () => {
    const resources = [flag("mine", {}, "shop"), flag("shared"), flag("theirs", {}, "blog")];
    expect(Object.keys(compile(resources, options).snapshot.flags)).toEqual(["mine", "shared"]);
    expect(Object.keys(compile(resources, { ...options, namespace: "blog" }).snapshot.flags)).toEqual([
      "shared",
      "theirs",
    ]);
  });

  it("resolves an unnamespaced flag's segment from the namespace compiled", () => {
    const rules = [{ segments: ["staff"], serve: { variant: "on" } }];
    const out = compile([flag("f", { rules }), segment("staff", { included: ["u1"] }, "shop")], options);
    expect(out.problems).toEqual([]);
    expect(out.snapshot.flags.f?.rules[0]?.segments[0]?.included).toEqual(["u1"]);
  });
});

describe("compile: invalid resources", () => {
  it("leaves out an invalid flag and the flags that depend on it, compiling the rest", () => {
    const resources = [
      flag("broken", { defaultVariant: "maybe" }),
      flag("dependent", { prerequisites: [{ flag: "broken", variants: ["on"] }] }),
      flag("transitive", { prerequisites: [{ flag: "dependent", variants: ["on"] }] }),
      flag("fine"),
    ];
    const out = compile(resources, options);
    expect(Object.keys(out.snapshot.flags)).toEqual(["fine"]);
    expect(out.excluded).toEqual([
      { kind: "FeatureFlag", name: "broken" },
      { kind: "FeatureFlag", name: "dependent" },
      { kind: "FeatureFlag", name: "transitive" },
    ]);
    expect(out.problems.map((p) => `${p.name} ${p.path}: ${p.message}`)).toEqual([
      `broken spec.defaultVariant: "maybe" is not one of the flag's variants (on, off)`,
      `dependent spec.prerequisites[0].flag: left out because prerequisite flag "broken" is invalid and left out`,
      `transitive spec.prerequisites[0].flag: left out because prerequisite flag "dependent" is invalid and left out`,
    ]);
  });

  it("leaves out flags using an invalid segment", () => {
    const bad = segment("bad", { conditions: [{ attribute: "a", operator: "regex", values: ["(a)\\1"] }] });
    const out = compile(
      [bad, flag("f", { rules: [{ segments: ["bad"], serve: { variant: "on" } }] }), flag("g")],
      options,
    );
    expect(Object.keys(out.snapshot.flags)).toEqual(["g"]);
    expect(out.excluded).toEqual([
      { kind: "FeatureFlag", name: "f" },
      { kind: "Segment", name: "bad" },
    ]);
    expect(out.problems.map((p) => p.code)).toEqual(["INVALID_REGEX", "DEPENDENCY_EXCLUDED"]);
  });

  it("leaves out every flag of a prerequisite cycle", () => {
    const on = (name: string) => ({ prerequisites: [{ flag: name, variants: ["on"] }] });
    const out = compile([flag("a", on("b")), flag("b", on("a")), flag("c")], options);
    expect(Object.keys(out.snapshot.flags)).toEqual(["c"]);
    expect(out.excluded.map((e) => e.name)).toEqual(["a", "b"]);
  });

  it("serves the first of two same-named flags and reports the second", () => {
    const out = compile([flag("f", {}, "shop"), flag("f", { enabled: false })], options);
    expect(out.snapshot.flags.f?.enabled).toBe(true);
    expect(out.problems.map((p) => p.code)).toEqual(["DUPLICATE_RESOURCE"]);
    expect(out.excluded).toEqual([]);
  });
});

describe("compile: determinism and hash", () => {
  const resources = () => [
    segment("staff", { included: ["u1"] }),
    flag("b", {
      type: "json",
      variants: [{ name: "x", value: { z: 1, a: [2, { y: 3, b: 4 }] } }],
      defaultVariant: "x",
    }),
    flag("a", { rules: [{ segments: ["staff"], serve: { variant: "on" } }] }),
  ];

  it("produces byte-identical JSON for the same input in any order, flags sorted by key", () => {
    const first = JSON.stringify(compile(resources(), options).snapshot);
    const second = JSON.stringify(compile(resources().reverse(), options).snapshot);
    expect(second).toBe(first);
    expect(Object.keys(JSON.parse(first).flags)).toEqual(["a", "b"]);
  });

  it("hashes the canonical JSON of schema version, namespace, environment and flags", () => {
    const { snapshot } = compile(resources(), options);
    const { schemaVersion, namespace, environment, flags } = snapshot;
    expect(snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.hash).toBe(sha256Hex(canonicalJson({ schemaVersion, namespace, environment, flags })));
  });

  it("changes the hash when content, namespace or environment changes, and only then", () => {
    const hash = (r = resources(), o = options) => compile(r, o).snapshot.hash;
    expect(hash()).toBe(hash());
    expect(hash(resources(), { ...options, now: at("2030-01-01T00:00:00Z") })).toBe(hash());
    expect(hash([...resources(), flag("c")])).not.toBe(hash());
    expect(hash(resources(), { ...options, namespace: "blog" })).not.toBe(hash());
    expect(hash(resources(), { ...options, environment: "staging" })).not.toBe(hash());
  });

  it("compiles nothing to an empty, hashed snapshot", () => {
    const { snapshot } = compile([], options);
    expect(snapshot).toEqual({
      schemaVersion: 1,
      namespace: "shop",
      environment: "production",
      hash: snapshot.hash,
      flags: {},
    });
  });
});
