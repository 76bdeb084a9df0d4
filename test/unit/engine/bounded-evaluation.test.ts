// A manifest that validates can never freeze the evaluator: prerequisites are evaluated once
// per evaluation, chains deeper than the limit and costly flags are validation errors, regex
// programs are bounded, and (property) evaluation of anything that validates stays within a
// time proportional to its estimated cost.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { FLAG_COST_BUDGET, MAX_PREREQUISITE_DEPTH, MAX_REGEX_PROGRAM_SIZE } from "../../../core/limits.ts";
import { formatProblem, type AnyResource } from "../../../core/manifest/load.ts";
import { buildScope } from "../../../core/validate/scope.ts";
import { checkResources, ownCost } from "../../../core/validate/index.ts";
import { flag } from "../compile/helpers.ts";

const compileAll = (resources: AnyResource[]) =>
  compile(resources, { namespace: "default", environment: "production" });
const needs = (...names: string[]) => names.map((name) => ({ flag: name, variants: ["on"] }));

/** `layers` layers of `width` flags; each flag needs every flag of the next layer. */
function diamond(layers: number, width: number): AnyResource[] {
  const name = (layer: number, i: number) => `l${layer}-${i}`;
  const flags: AnyResource[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const next = layer + 1 < layers ? Array.from({ length: width }, (_, j) => name(layer + 1, j)) : [];
      flags.push(flag(name(layer, i), { prerequisites: next.length > 0 ? needs(...next) : undefined }));
    }
  }
  return flags;
}

function chain(length: number): AnyResource[] {
  return Array.from({ length }, (_, i) =>
    flag(`c${i}`, { prerequisites: i + 1 < length ? needs(`c${i + 1}`) : undefined }),
  );
}

describe("prerequisites", () => {
  it("evaluate each flag of a diamond once: 8 layers of 20, one evaluation in milliseconds", () => {
    const output = compileAll(diamond(8, 20));
    expect(output.problems).toEqual([]);
    const started = performance.now();
    expect(evaluate(output.snapshot, "l0-0", {})).toMatchObject({ variant: "on", reason: "STATIC" });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it(`accept a chain ${MAX_PREREQUISITE_DEPTH} deep and refuse one deeper, naming the chain and the limit`, () => {
    const ok = compileAll(chain(MAX_PREREQUISITE_DEPTH + 1));
    expect(ok.problems).toEqual([]);
    expect(evaluate(ok.snapshot, "c0", {})).toMatchObject({ variant: "on" });
    const deep = checkResources(chain(MAX_PREREQUISITE_DEPTH + 2));
    expect(deep.problems.map(formatProblem)).toEqual([
      `<input> FeatureFlag "c0": spec.prerequisites[0].flag: prerequisite chain is 17 deep (c0 → c1 → c2 → … → c17), ` +
        `deeper than the limit of ${MAX_PREREQUISITE_DEPTH}: shorten it (a flag may also list several prerequisites directly)`,
    ]);
  });

  it("give a chain of 5 000 a clean error per flag too deep, not a stack overflow", () => {
    const started = performance.now();
    const report = checkResources(chain(5000));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report.problems).toHaveLength(5000 - MAX_PREREQUISITE_DEPTH - 1);
    expect(report.problems.every((p) => p.code === "PREREQUISITE_TOO_DEEP")).toBe(true);
    expect(formatProblem(report.problems.find((p) => p.name === "c0")!)).toContain(
      "prerequisite chain is 4999 deep (c0 → c1 → c2 → … → c4999)",
    );
  });

  it("report a 5 000-flag cycle once, without recursion", () => {
    const flags = Array.from({ length: 5000 }, (_, i) => flag(`c${i}`, { prerequisites: needs(`c${(i + 1) % 5000}`) }));
    const report = checkResources(flags);
    expect(report.problems.filter((p) => p.code === "PREREQUISITE_CYCLE")).toHaveLength(1);
  });
});

function regexFlag(name: string, patterns: string[], prerequisites?: string[]): AnyResource {
  const conditions = patterns.map((pattern) => ({ attribute: "email", operator: "regex", values: [pattern] }));
  return flag(name, {
    prerequisites: prerequisites ? needs(...prerequisites) : undefined,
    rules: [{ name: "r", conditions, serve: { variant: "on" } }],
  });
}

describe("regular expressions and evaluation cost", () => {
  it(`refuse a regex compiling to more than ${MAX_REGEX_PROGRAM_SIZE} RE2 instructions`, () => {
    const pattern = `^(?:${"[a-z0-9]{1,20}\\.".repeat(40)})$`; // ~1 000 characters
    const report = checkResources([regexFlag("big", [pattern])]);
    expect(report.problems.map((p) => p.code)).toEqual(["INVALID_REGEX"]); // not also counted as costly
    expect(report.problems[0]?.message).toMatch(
      new RegExp(`compiles to \\d+ RE2 instructions, more than the limit of ${MAX_REGEX_PROGRAM_SIZE}`),
    );
  });

  it(`refuse a flag whose conditions could cost more than ${FLAG_COST_BUDGET} units`, () => {
    const pattern = "a.{60}z$"; // small, but the NFA runs it slowly
    const many = Array.from({ length: 40 }, () => pattern);
    const report = checkResources([regexFlag("costly", many)]);
    expect(report.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /FeatureFlag "costly": spec: evaluating this flag could cost more than 1000000 units \(its own rules, segments and rollout; its own targeting: \d+\)/,
      ),
    ]);
  });

  it("count each prerequisite's cost once, and refuse a flag whose prerequisites add up past the budget", () => {
    const pattern = "a.{60}z$";
    const helpers = Array.from({ length: 20 }, (_, i) => regexFlag(`h${i}`, [pattern, pattern]));
    const names = helpers.map((h) => h.metadata.name);
    const shared = regexFlag("top", [], names.slice(0, 5));
    expect(checkResources([...helpers, shared]).problems).toEqual([]);
    const report = checkResources([...helpers, regexFlag("top", [], names)]);
    expect(report.problems.map((p) => `${p.name}: ${p.code}`)).toEqual(["top: EVALUATION_TOO_COSTLY"]);
    expect(report.problems[0]?.message).toContain("with its prerequisites");
  });
});

// Property: whatever validates evaluates within a time bounded by its cost estimate.
const conditionArb = fc.oneof(
  fc.record({
    attribute: fc.constantFrom("a", "b"),
    operator: fc.constant("in"),
    values: fc.array(fc.string(), { minLength: 1, maxLength: 50 }),
  }),
  fc.record({
    attribute: fc.constantFrom("a", "b"),
    operator: fc.constant("regex"),
    values: fc.constantFrom(["a.{60}z$"], ["(a+)+$"], ["^x[0-9]{1,30}$"]),
  }),
  fc.record({ attribute: fc.constant("n"), operator: fc.constant("greaterThan"), values: fc.constant([10]) }),
);
const graphArb = fc.integer({ min: 2, max: 40 }).chain((size) =>
  fc.array(
    fc.record({
      prerequisites: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 8 }),
      conditions: fc.array(conditionArb, { maxLength: 6 }),
    }),
    { minLength: size, maxLength: size },
  ),
);
const contextArb = fc.record({
  targetingKey: fc.string(),
  a: fc.oneof(fc.string({ maxLength: 2000 }), fc.constant(`${"a".repeat(1000)}z`)),
  b: fc.array(fc.string({ maxLength: 300 }), { maxLength: 5 }),
  n: fc.integer(),
});

describe("evaluation of anything that validates", () => {
  it("finishes within its cost budget (≤ 200 ns per unit, plus 50 ms of slack for a busy machine)", () => {
    fc.assert(
      fc.property(graphArb, contextArb, (graph, context) => {
        const flags = graph.map((spec, i) =>
          flag(`f${i}`, {
            // only later flags as prerequisites: the graph is a DAG, sometimes deep
            prerequisites: spec.prerequisites.some((j) => j > i)
              ? needs(...spec.prerequisites.filter((j) => j > i).map((j) => `f${j}`))
              : undefined,
            rules:
              spec.conditions.length > 0
                ? [{ name: "r", conditions: spec.conditions, serve: { variant: "off" } }]
                : undefined,
          }),
        );
        const output = compileAll(flags);
        const scope = buildScope(flags, true);
        for (const key of Object.keys(output.snapshot.flags)) {
          const resource = flags.find((f) => f.metadata.name === key)!;
          const budget = Math.min(FLAG_COST_BUDGET, ownCost(resource as never, scope) * flags.length);
          evaluate(output.snapshot, key, {}); // prepares the flag (regexes compiled once per snapshot)
          // the fastest of three runs: a pause of the busy machine is not the evaluation's time
          let fastest = Infinity;
          let result = evaluate(output.snapshot, key, context);
          for (let run = 0; run < 3; run++) {
            const started = performance.now();
            result = evaluate(output.snapshot, key, context);
            fastest = Math.min(fastest, performance.now() - started);
          }
          expect(fastest).toBeLessThan(50 + budget * 200e-6);
          expect(result.errorCode).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });
});
