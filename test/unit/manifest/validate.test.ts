import { describe, expect, it } from "vitest";
import type { AnyResource } from "../../../core/manifest/load.ts";
import { experimentSchema, featureFlagSchema, segmentSchema, type FeatureFlag } from "../../../core/schema/index.ts";
import { flagVariants, validateResources } from "../../../core/validate/index.ts";

const API = "flags.vexil.dev/v1alpha1";
function flag(name: string, spec: Record<string, unknown> = {}, namespace?: string): FeatureFlag {
  return featureFlagSchema.parse({ apiVersion: API, kind: "FeatureFlag", metadata: { name, namespace }, spec });
}
function segment(name: string, spec: Record<string, unknown> = {}, namespace?: string): AnyResource {
  return segmentSchema.parse({ apiVersion: API, kind: "Segment", metadata: { name, namespace }, spec });
}
function experiment(name: string, spec: Record<string, unknown>): AnyResource {
  const base = {
    variants: [
      { variant: "on", weight: 1 },
      { variant: "off", weight: 1 },
    ],
    control: "off",
    metrics: [{ name: "m", event: "e" }],
  };
  return experimentSchema.parse({
    apiVersion: API,
    kind: "Experiment",
    metadata: { name },
    spec: { ...base, ...spec },
  });
}
/** `path: message [CODE]` of every problem, the shape these tests assert on */
function problems(...resources: AnyResource[]): string[] {
  return validateResources(resources).map((p) => `${p.path}: ${p.message} [${p.code}]`);
}
const strings = {
  type: "string",
  variants: [
    { name: "a", value: "A" },
    { name: "b", value: "B" },
  ],
  defaultVariant: "a",
};

describe("variants and defaults", () => {
  it("gives boolean flags on/off variants, default on and off variant off", () => {
    const f = flag("f");
    expect(problems(f)).toEqual([]);
    expect(flagVariants(f.spec)).toEqual({
      variants: [
        { name: "on", value: true },
        { name: "off", value: false },
      ],
      defaultVariant: "on",
      offVariant: "off",
    });
  });

  it("lets a non-boolean flag's offVariant default to its defaultVariant", () => {
    const f = flag("f", strings);
    expect(problems(f)).toEqual([]);
    expect(flagVariants(f.spec).offVariant).toBe("a");
  });

  it("requires defaultVariant on non-boolean flags", () => {
    expect(problems(flag("f", { ...strings, defaultVariant: undefined }))).toEqual([
      "spec.defaultVariant: is required for a string flag: name the variant served when nothing else decides (one of a, b) [MISSING_DEFAULT_VARIANT]",
    ]);
  });

  it("requires variants on non-boolean flags", () => {
    expect(problems(flag("f", { type: "number", defaultVariant: "x" }))).toContain(
      "spec.variants: a number flag needs at least one variant (only boolean flags get on/off by default) [MISSING_VARIANTS]",
    );
  });

  it("rejects an offVariant that does not exist", () => {
    expect(problems(flag("f", { offVariant: "disabled" }))).toEqual([
      `spec.offVariant: "disabled" is not one of the flag's variants (on, off) [UNKNOWN_VARIANT]`,
    ]);
  });

  it("rejects duplicate variant names", () => {
    const variants = [
      { name: "a", value: "1" },
      { name: "a", value: "2" },
    ];
    expect(problems(flag("f", { ...strings, variants }))).toEqual([
      `spec.variants[1].name: variant "a" is declared twice [DUPLICATE_VARIANT]`,
    ]);
  });

  it.each([
    ["number", "12", `must be a number for a number flag (got "12")`],
    ["json", "{}", `must be a JSON object or array for a json flag (got "{}")`],
    ["string", 5, "must be a string for a string flag (got 5)"],
  ])("checks a %s flag's values have its type", (type, value, message) => {
    expect(problems(flag("f", { type, variants: [{ name: "x", value }], defaultVariant: "x" }))).toEqual([
      `spec.variants[0].value: ${message} [TYPE_MISMATCH_VALUE]`,
    ]);
  });

  it("accepts json objects and arrays", () => {
    const variants = [
      { name: "o", value: { a: [1] } },
      { name: "l", value: [1, 2] },
    ];
    expect(problems(flag("f", { type: "json", variants, defaultVariant: "o" }))).toEqual([]);
  });

  it("rejects weighted variants whose weights are all zero", () => {
    const variants = [
      { name: "a", value: "A", weight: 0 },
      { name: "b", value: "B", weight: 0 },
    ];
    expect(problems(flag("f", { ...strings, variants }))).toEqual([
      "spec.variants: weights must add up to more than 0 (all are 0) [INVALID_SPLIT]",
    ]);
  });
});

describe("targets and rules", () => {
  it("rejects a user pinned to two variants", () => {
    const targets = [
      { variant: "on", values: ["u1", "u2"] },
      { variant: "off", values: ["u2"] },
    ];
    expect(problems(flag("f", { targets }))).toEqual([
      `spec.targets[1].values: "u2" is already targeted by spec.targets[0]; a user may be pinned to one variant only [DUPLICATE_TARGET]`,
    ]);
  });

  it("requires exactly one of variant or split in serve", () => {
    const both = { variant: "on", split: [{ variant: "on", weight: 1 }] };
    expect(problems(flag("f", { rules: [{ serve: both }, { serve: {} }] }))).toEqual([
      "spec.rules[0].serve: must give exactly one of variant or split [INVALID_SERVE]",
      "spec.rules[1].serve: must give exactly one of variant or split [INVALID_SERVE]",
    ]);
  });

  it("rejects split entries naming unknown variants", () => {
    const serve = {
      split: [
        { variant: "on", weight: 1 },
        { variant: "maybe", weight: 1 },
      ],
    };
    expect(problems(flag("f", { rules: [{ serve }] }))).toEqual([
      `spec.rules[0].serve.split[1].variant: "maybe" is not one of the flag's variants (on, off) [UNKNOWN_VARIANT]`,
    ]);
  });

  it("validates environment overrides the same way, under their own path", () => {
    const environments = {
      staging: { defaultVariant: "nope", rules: [{ serve: { variant: "maybe" } }] },
      production: { rollout: { strategy: "percentage" } },
    };
    expect(problems(flag("f", { environments }))).toEqual([
      "spec.environments.production.rollout.percentage: is required for strategy percentage (percentage needs percentage) [MISSING_FIELD]",
      `spec.environments.staging.defaultVariant: "nope" is not one of the flag's variants (on, off) [UNKNOWN_VARIANT]`,
      `spec.environments.staging.rules[0].serve.variant: "maybe" is not one of the flag's variants (on, off) [UNKNOWN_VARIANT]`,
    ]);
  });
});

describe("conditions", () => {
  const withCondition = (condition: Record<string, unknown>) =>
    flag("f", { rules: [{ conditions: [condition], serve: { variant: "on" } }] });
  const at = "spec.rules[0].conditions[0]";

  it.each([
    [{ attribute: "a", operator: "exists", values: ["x"] }, `${at}.values: exists takes no values [INVALID_CONDITION]`],
    [{ attribute: "a", operator: "in" }, `${at}.values: in needs at least one value [INVALID_CONDITION]`],
    [{ attribute: "a", operator: "in", values: [] }, `${at}.values: in needs at least one value [INVALID_CONDITION]`],
    [
      { attribute: "v", operator: "semverGreaterThan", values: ["4.x"] },
      `${at}.values[0]: semverGreaterThan needs a semantic version such as 1.4.0 (got "4.x") [INVALID_OPERAND]`,
    ],
    [
      { attribute: "d", operator: "before", values: ["next tuesday"] },
      `${at}.values[0]: before needs an RFC 3339 time such as 2026-11-24T09:00:00Z, a date such as 2026-11-24, or epoch milliseconds (got "next tuesday") [INVALID_OPERAND]`,
    ],
    [
      { attribute: "n", operator: "lessThanOrEqual", values: [3, "3.5", "three"] },
      `${at}.values[2]: lessThanOrEqual needs a number (got "three") [INVALID_OPERAND]`,
    ],
    [
      { attribute: "e", operator: "regex", values: ["^(?=admin)"] },
      `${at}.values[0]: invalid regular expression "^(?=admin)": error parsing regexp: invalid or unsupported Perl syntax: \`(?=\` (RE2 syntax: no backreferences or lookaround) [INVALID_REGEX]`,
    ],
  ])("rejects %j", (condition, message) => {
    expect(problems(withCondition(condition))).toEqual([message]);
  });

  it.each([
    { attribute: "a", operator: "exists" },
    { attribute: "v", operator: "semverEquals", values: ["v1.2.3", "2.0.0-beta.1"] },
    { attribute: "d", operator: "after", values: ["2026-11-24", "2026-11-24T09:00:00+01:00", 1764000000000] },
    { attribute: "e", operator: "regex", values: ["^[a-z]+@example\\.com$"], caseInsensitive: true },
  ])("accepts %j", (condition) => {
    expect(problems(withCondition(condition))).toEqual([]);
  });

  it("checks segment conditions too", () => {
    const s = segment("s", { conditions: [{ attribute: "a", operator: "greaterThan", values: ["lots"] }] });
    expect(problems(s)).toEqual([
      `spec.conditions[0].values[0]: greaterThan needs a number (got "lots") [INVALID_OPERAND]`,
    ]);
  });
});

describe("rollouts", () => {
  const withRollout = (rollout: Record<string, unknown>) => flag("f", { rollout });

  it.each([
    [
      { strategy: "percentage" },
      ["spec.rollout.percentage: is required for strategy percentage (percentage needs percentage) [MISSING_FIELD]"],
    ],
    [
      { strategy: "gradual", from: 0, to: 50, start: "2026-12-01T00:00:00Z" },
      [
        "spec.rollout.duration: is required for strategy gradual (gradual needs from, to, start, duration) [MISSING_FIELD]",
      ],
    ],
    [
      { strategy: "gradual", from: 60, to: 50, start: "2026-12-01T00:00:00Z", duration: "1d" },
      ["spec.rollout.from: must not exceed to (from 60, to 50); a gradual rollout only rises [INVALID_ROLLOUT]"],
    ],
    [
      { strategy: "gradual", from: 0, to: 50, start: "2026-12-01T00:00:00Z", duration: "0h" },
      ["spec.rollout.duration: must be longer than 0 [INVALID_ROLLOUT]"],
    ],
    [
      { strategy: "canary", percentage: 5 },
      ["spec.rollout.start: is required for strategy canary (canary needs percentage, start) [MISSING_FIELD]"],
    ],
    [
      {
        strategy: "canary",
        percentage: 5,
        start: "2026-12-01T00:00:00Z",
        promote: [
          { after: "2h", percentage: 20 },
          { after: "1h", percentage: 50 },
        ],
      },
      ["spec.rollout.promote[1].after: must be later than the previous promotion step's after [INVALID_ROLLOUT]"],
    ],
    [
      { strategy: "ring", rings: [{ name: "a", values: ["u1"] }, { name: "b" }], currentRing: "c" },
      [
        "spec.rollout.rings[1]: a ring needs segments or values to say who is in it [MISSING_FIELD]",
        `spec.rollout.currentRing: "c" is not one of the rings (a, b) [INVALID_ROLLOUT]`,
      ],
    ],
    [
      { strategy: "targeted" },
      ["spec.rollout.segments: is required for strategy targeted (targeted needs segments) [MISSING_FIELD]"],
    ],
    [
      { strategy: "percentage", percentage: 10, currentRing: "a" },
      ["spec.rollout.currentRing: applies only to strategy ring, not percentage [INVALID_ROLLOUT]"],
    ],
    [
      { strategy: "percentage", percentage: 10, variant: "maybe" },
      [`spec.rollout.variant: "maybe" is not one of the flag's variants (on, off) [UNKNOWN_VARIANT]`],
    ],
  ])("rejects %j", (rollout, expected) => {
    expect(problems(withRollout(rollout))).toEqual(expected);
  });
});

describe("references between resources", () => {
  it("rejects a prerequisite flag that does not exist, listing the ones that do", () => {
    expect(problems(flag("a", { prerequisites: [{ flag: "b", variants: ["on"] }] }), flag("c"))).toEqual([
      `spec.prerequisites[0].flag: prerequisite flag "b" does not exist (defined: a, c) [UNKNOWN_PREREQUISITE]`,
    ]);
  });

  it("rejects a prerequisite variant the other flag does not have", () => {
    expect(problems(flag("a", { prerequisites: [{ flag: "b", variants: ["enabled"] }] }), flag("b"))).toEqual([
      `spec.prerequisites[0].variants[0]: "enabled" is not one of flag "b"'s variants (on, off) [UNKNOWN_VARIANT]`,
    ]);
  });

  it("names every flag of a longer prerequisite cycle", () => {
    const on = (flagName: string) => ({ prerequisites: [{ flag: flagName, variants: ["on"] }] });
    expect(problems(flag("a", on("b")), flag("b", on("c")), flag("c", on("a")), flag("d", on("a")))).toEqual([
      "spec.prerequisites[0].flag: prerequisite cycle: a → b → c → a; remove one of these prerequisites [PREREQUISITE_CYCLE]",
    ]);
  });

  it("rejects a flag that requires itself", () => {
    expect(problems(flag("a", { prerequisites: [{ flag: "a", variants: ["on"] }] }))).toEqual([
      "spec.prerequisites[0].flag: a flag cannot depend on itself (prerequisite cycle: a → a) [PREREQUISITE_CYCLE]",
    ]);
  });

  it("finds segments named by rings, targeted rollouts and overrides", () => {
    const f = flag("f", {
      rollout: { strategy: "ring", rings: [{ name: "r", segments: ["staff"] }], currentRing: "r" },
      environments: { dev: { rollout: { strategy: "targeted", segments: ["devs"] } } },
    });
    expect(problems(f, segment("staff"))).toEqual([
      `spec.environments.dev.rollout.segments[0]: segment "devs" does not exist (defined: staff) [UNKNOWN_SEGMENT]`,
    ]);
  });

  it("sees segments of the same namespace and unnamespaced ones, not other namespaces'", () => {
    const rules = (name: string) => [{ segments: [name], serve: { variant: "on" } }];
    expect(
      problems(
        flag("f", { rules: [...rules("mine"), ...rules("shared"), ...rules("theirs")] }, "shop"),
        segment("mine", {}, "shop"),
        segment("shared"),
        segment("theirs", {}, "blog"),
      ),
    ).toEqual([`spec.rules[2].segments[0]: segment "theirs" does not exist (defined: mine, shared) [UNKNOWN_SEGMENT]`]);
  });
});

describe("experiments", () => {
  it("accepts an experiment on an existing flag's variants", () => {
    expect(problems(flag("f"), experiment("e", { flag: "f" }))).toEqual([]);
  });

  it("rejects variants the flag does not have, an unknown control and an unknown audience", () => {
    const e = experiment("e", {
      flag: "f",
      variants: [
        { variant: "on", weight: 1 },
        { variant: "maybe", weight: 1 },
      ],
      control: "off",
      audience: { segments: ["beta"] },
    });
    expect(problems(flag("f"), e)).toEqual([
      `spec.control: "off" is not one of the experiment's variants (on, maybe) [UNKNOWN_VARIANT]`,
      `spec.audience.segments[0]: segment "beta" does not exist (none is defined) [UNKNOWN_SEGMENT]`,
      `spec.variants[1].variant: "maybe" is not one of flag "f"'s variants (on, off) [UNKNOWN_VARIANT]`,
    ]);
  });

  it("rejects a stop before the start and zero weights", () => {
    const e = experiment("e", {
      flag: "f",
      variants: [
        { variant: "on", weight: 0 },
        { variant: "off", weight: 0 },
      ],
      start: "2026-12-02T00:00:00Z",
      stop: "2026-12-01T00:00:00Z",
    });
    expect(problems(flag("f"), e)).toEqual([
      "spec.variants: weights must add up to more than 0 (all are 0) [INVALID_SPLIT]",
      "spec.stop: must be after start (2026-12-02T00:00:00Z) [INVALID_EXPERIMENT]",
    ]);
  });
});
