// Properties that must hold for every user and every flag, not just the hand-picked ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { ErrorCode, Reason } from "../../../core/evaluate/result.ts";
import { OPERATORS } from "../../../core/schema/index.ts";
import type { CompiledFlag, Snapshot } from "../../../core/snapshot/snapshot.ts";
import { booleanFlag, snapshotOf, stringFlag } from "./fixtures.ts";

const USERS = 100_000;

function rolloutFlag(percentage: number, split?: CompiledFlag["split"]): Snapshot {
  return snapshotOf(
    stringFlag("f", {
      hasTargeting: true,
      rollout: {
        kind: "percentage",
        strategy: "percentage",
        percentage,
        bucketBy: "targetingKey",
        salt: "f",
        ...(split ? { split } : { variant: "b" }),
      },
    }),
  );
}

function shares(snapshot: Snapshot, users: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < users; i++) {
    const variant = evaluate(snapshot, "f", { targetingKey: `user-${i}` }).variant ?? "none";
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
  }
  return counts;
}

const variantName = fc.constantFrom("on", "off", "a", "b", "__proto__", "missing");
const conditionValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom("1.2.3", "2026-01-01", "^a+$", "(("),
);
const condition = fc.record(
  {
    attribute: fc.constantFrom("a", "targetingKey", "__proto__", "constructor"),
    operator: fc.oneof(fc.constantFrom(...OPERATORS), fc.string()),
    values: fc.oneof(fc.array(conditionValue, { maxLength: 4 }), fc.anything()),
    negate: fc.boolean(),
    caseInsensitive: fc.boolean(),
  },
  { requiredKeys: ["attribute", "operator"] },
);
const weighted = fc.array(fc.record({ variant: variantName, weight: fc.oneof(fc.nat(100), fc.double()) }), {
  maxLength: 3,
});
const matcher = fc.record(
  {
    segments: fc.array(
      fc.record(
        {
          key: fc.constantFrom("targetingKey", "a"),
          included: fc.array(fc.string()),
          excluded: fc.array(fc.string()),
          match: fc.constantFrom("all", "any", "some"),
          conditions: fc.array(condition, { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    conditions: fc.array(condition, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const rollout = fc.oneof(
  fc.record(
    {
      kind: fc.constant("percentage"),
      percentage: fc.oneof(fc.double({ min: -10, max: 110 }), fc.anything()),
      salt: fc.string(),
      bucketBy: fc.constantFrom("targetingKey", "a"),
      variant: fc.option(variantName, { nil: undefined }),
      split: fc.option(weighted, { nil: undefined }),
    },
    { requiredKeys: ["kind"] },
  ),
  fc.record(
    {
      kind: fc.constantFrom("audience", "other"),
      matchers: fc.array(matcher, { maxLength: 2 }),
      variant: fc.option(variantName, { nil: undefined }),
    },
    { requiredKeys: ["kind"] },
  ),
);
const arbitraryFlag = fc.record(
  {
    key: fc.constant("f"),
    type: fc.constantFrom("boolean", "string", "number", "json", "date"),
    variants: fc.oneof(
      fc.dictionary(variantName, fc.oneof(fc.boolean(), fc.string(), fc.double(), fc.jsonValue())),
      fc.anything(),
    ),
    defaultVariant: variantName,
    offVariant: variantName,
    enabled: fc.oneof(fc.boolean(), fc.anything()),
    killSwitch: fc.boolean(),
    prerequisites: fc.array(fc.record({ flag: fc.constantFrom("f", "g", "none"), variants: fc.array(variantName) })),
    targets: fc.dictionary(fc.string(), variantName),
    rules: fc.array(
      fc.record(
        {
          name: fc.string(),
          segments: fc.constant([]),
          conditions: fc.array(condition, { maxLength: 3 }),
          variant: fc.option(variantName, { nil: undefined }),
          split: fc.option(weighted, { nil: undefined }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    rollout,
    experiment: fc.record(
      { name: fc.string(), traffic: fc.double(), audience: matcher, split: weighted, salt: fc.string() },
      { requiredKeys: [] },
    ),
    split: weighted,
    splitSalt: fc.oneof(fc.string(), fc.anything()),
    hasTargeting: fc.boolean(),
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.boolean())), fc.anything()),
  },
  { requiredKeys: [] },
);
// Well-formed string flags (variants a, b, c) with random targeting: exercises every decision path.
const abc = fc.constantFrom("a", "b", "c");
const goodSplit = fc.array(fc.record({ variant: abc, weight: fc.integer({ min: 1, max: 100 }) }), {
  minLength: 1,
  maxLength: 3,
});
const goodCondition = fc.record({
  attribute: fc.constantFrom("a", "targetingKey", "__proto__"),
  operator: fc.constantFrom(...OPERATORS),
  values: fc.array(conditionValue, { maxLength: 4 }),
  negate: fc.boolean(),
  caseInsensitive: fc.boolean(),
});
const goodMatcher = fc.record({
  segments: fc.array(
    fc.record({
      name: fc.constant("s"),
      key: fc.constantFrom("targetingKey", "a"),
      included: fc.array(fc.string()),
      excluded: fc.array(fc.string()),
      match: fc.constantFrom("all", "any"),
      conditions: fc.array(goodCondition, { maxLength: 2 }),
    }),
    { maxLength: 2 },
  ),
  conditions: fc.array(goodCondition, { maxLength: 2 }),
});
const goodRollout = fc.oneof(
  fc.record({
    kind: fc.constant("percentage"),
    strategy: fc.constant("percentage"),
    percentage: fc.double({ min: 0, max: 100, noNaN: true }),
    salt: fc.string(),
    bucketBy: fc.constantFrom("targetingKey", "a"),
    variant: fc.option(abc, { nil: undefined }),
    split: fc.option(goodSplit, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("audience"),
    strategy: fc.constant("ring"),
    salt: fc.string(),
    bucketBy: fc.constant("targetingKey"),
    matchers: fc.array(goodMatcher, { maxLength: 2 }),
    variant: fc.option(abc, { nil: undefined }),
  }),
);
const wellFormedFlag = fc.record({
  key: fc.constant("f"),
  type: fc.constant("string"),
  variants: fc.constant({ a: "A", b: "B", c: "C" }),
  defaultVariant: abc,
  offVariant: abc,
  enabled: fc.boolean(),
  killSwitch: fc.boolean(),
  prerequisites: fc.array(fc.record({ flag: fc.constantFrom("f", "g", "none"), variants: fc.array(abc) }), {
    maxLength: 2,
  }),
  targets: fc.dictionary(fc.string(), abc),
  rules: fc.array(
    fc.oneof(
      goodMatcher.map((m) => ({ ...m, name: "r", variant: "b" })),
      goodMatcher.map((m) => ({
        ...m,
        name: "s",
        split: [
          { variant: "a", weight: 1 },
          { variant: "c", weight: 1 },
        ],
      })),
    ),
    { maxLength: 3 },
  ),
  rollout: fc.option(goodRollout, { nil: undefined }),
  experiment: fc.option(
    fc.record({
      name: fc.string(),
      traffic: fc.double({ min: 0, max: 100, noNaN: true }),
      audience: goodMatcher,
      split: goodSplit,
      control: fc.constant("a"),
      salt: fc.string(),
    }),
    { nil: undefined },
  ),
  split: fc.option(goodSplit, { nil: undefined }),
  splitSalt: fc.string(),
  hasTargeting: fc.boolean(),
});
const context = fc.oneof(
  fc.anything(),
  fc.record(
    { targetingKey: fc.string(), a: fc.oneof(fc.string(), fc.double(), fc.array(fc.string()), fc.anything()) },
    { requiredKeys: [] },
  ),
);
const REASONS = new Set<string>(Object.values(Reason));
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

describe("evaluation properties", () => {
  it("never throws and always answers with a known reason, for arbitrary flags and contexts", () => {
    fc.assert(
      fc.property(
        fc.oneof(wellFormedFlag, arbitraryFlag, fc.anything()),
        fc.oneof(wellFormedFlag, arbitraryFlag, fc.anything()),
        context,
        (f, g, ctx) => {
          const snapshot = { ...snapshotOf(), flags: { f, g } } as unknown as Snapshot;
          const result = evaluate(snapshot, "f", ctx, { defaultValue: "default" });
          expect(REASONS.has(result.reason)).toBe(true);
          if (result.reason === Reason.ERROR) {
            expect(ERROR_CODES.has(result.errorCode!)).toBe(true);
            expect(result.value).toBe("default");
            expect(result.errorCode).not.toBe(ErrorCode.GENERAL);
          } else {
            expect(result.variant).toBeTypeOf("string");
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("answers well-formed flags without parse errors, whatever the context", () => {
    const expected = new Set<string>([ErrorCode.TARGETING_KEY_MISSING, ErrorCode.INVALID_CONTEXT]);
    fc.assert(
      fc.property(wellFormedFlag, wellFormedFlag, context, (f, g, ctx) => {
        const snapshot = { ...snapshotOf(), flags: { f, g } } as unknown as Snapshot;
        const result = evaluate(snapshot, "f", ctx);
        if (result.errorCode !== undefined) expect(expected).toContain(result.errorCode);
        else expect(["A", "B", "C"]).toContain(result.value);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same answer for the same context, also from a copy of the snapshot", () => {
    const snapshot = snapshotOf(
      stringFlag("f", {
        hasTargeting: true,
        rules: [
          {
            name: "r",
            segments: [],
            conditions: [{ attribute: "a", operator: "startsWith", values: ["x"] }],
            split: [
              { variant: "a", weight: 1 },
              { variant: "b", weight: 2 },
            ],
          },
        ],
        rollout: {
          kind: "percentage",
          strategy: "percentage",
          percentage: 40,
          bucketBy: "targetingKey",
          salt: "f",
          split: [
            { variant: "b", weight: 1 },
            { variant: "c", weight: 1 },
          ],
        },
      }),
    );
    const copy = structuredClone(snapshot);
    fc.assert(
      fc.property(fc.record({ targetingKey: fc.string(), a: fc.string() }), (ctx) => {
        const first = evaluate(snapshot, "f", ctx);
        expect(evaluate(snapshot, "f", { ...ctx })).toEqual(first);
        expect(evaluate(copy, "f", ctx)).toEqual(first);
      }),
    );
  });

  it("never turns a user off when a rollout percentage rises", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (key, x, y) => {
          const [low, high] = x <= y ? [x, y] : [y, x];
          const before = evaluate(rolloutFlag(low), "f", { targetingKey: key });
          const after = evaluate(rolloutFlag(high), "f", { targetingKey: key });
          if (before.variant === "b") expect(after.variant).toBe("b");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("puts a 25% rollout's share of 100 000 users inside, within ±1%", () => {
    const counts = shares(rolloutFlag(25), USERS);
    expect(Math.abs((counts.get("b") ?? 0) / USERS - 0.25)).toBeLessThan(0.01);
  });

  it("splits 100 000 users 50/30/20 within ±1%", () => {
    const snapshot = snapshotOf(
      stringFlag("f", {
        hasTargeting: true,
        split: [
          { variant: "a", weight: 50 },
          { variant: "b", weight: 30 },
          { variant: "c", weight: 20 },
        ],
      }),
    );
    const counts = shares(snapshot, USERS);
    expect(Math.abs((counts.get("a") ?? 0) / USERS - 0.5)).toBeLessThan(0.01);
    expect(Math.abs((counts.get("b") ?? 0) / USERS - 0.3)).toBeLessThan(0.01);
    expect(Math.abs((counts.get("c") ?? 0) / USERS - 0.2)).toBeLessThan(0.01);
  });

  it("chooses variants independently of rollout inclusion: inside a 50% rollout a 50/50 split stays 50/50", () => {
    const counts = shares(
      rolloutFlag(50, [
        { variant: "a", weight: 1 },
        { variant: "b", weight: 1 },
      ]),
      USERS,
    );
    const inside = (counts.get("a") ?? 0) + (counts.get("b") ?? 0);
    expect(Math.abs(inside / USERS - 0.5)).toBeLessThan(0.01);
    expect(Math.abs((counts.get("a") ?? 0) / inside - 0.5)).toBeLessThan(0.01);
  });

  it("evaluates a static flag quickly once prepared", () => {
    const snapshot = snapshotOf(booleanFlag("f"));
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) evaluate(snapshot, "f", { targetingKey: "user" });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
