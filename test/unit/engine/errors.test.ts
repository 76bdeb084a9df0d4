// One test per error code: reason ERROR, the caller's default value, a specific message.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";
import { booleanFlag, snapshotOf, stringFlag } from "./fixtures.ts";

const snapshot = snapshotOf(
  booleanFlag("bool"),
  stringFlag("json-flag", { type: "json", variants: { a: { x: 1 }, b: [1], c: null } }),
  stringFlag("split", {
    hasTargeting: true,
    split: [
      { variant: "a", weight: 1 },
      { variant: "b", weight: 1 },
    ],
  }),
  stringFlag("rollout", {
    rollout: {
      kind: "percentage",
      strategy: "percentage",
      percentage: 50,
      bucketBy: "companyId",
      salt: "rollout",
      variant: "b",
    },
  }),
);

describe("evaluation errors", () => {
  it("FLAG_NOT_FOUND returns the caller's default", () => {
    expect(evaluate(snapshot, "nope", {}, { defaultValue: "fallback" })).toEqual({
      key: "nope",
      value: "fallback",
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
      errorMessage: 'flag "nope" not found',
    });
  });

  it("FLAG_NOT_FOUND for keys that are Object.prototype names", () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(evaluate(snapshot, key, {})).toMatchObject({ errorCode: "FLAG_NOT_FOUND", value: undefined });
    }
  });

  it("TYPE_MISMATCH when the caller expects another type, with json flags answering to object", () => {
    expect(evaluate(snapshot, "bool", {}, { expectedType: "string", defaultValue: "x" })).toMatchObject({
      value: "x",
      reason: "ERROR",
      errorCode: "TYPE_MISMATCH",
      errorMessage: 'flag "bool" is of type boolean, not string',
    });
    expect(evaluate(snapshot, "json-flag", {}, { expectedType: "object" })).toMatchObject({
      value: { x: 1 },
      reason: "STATIC",
    });
    expect(evaluate(snapshot, "bool", {}, { expectedType: "boolean" })).toMatchObject({ value: true });
  });

  it("TARGETING_KEY_MISSING when a split needs a targetingKey the context lacks", () => {
    expect(evaluate(snapshot, "split", { country: "UK" }, { defaultValue: "d" })).toEqual({
      key: "split",
      value: "d",
      reason: "ERROR",
      errorCode: "TARGETING_KEY_MISSING",
      errorMessage: 'flag "split" buckets users by targetingKey, and the context has none',
    });
  });

  it("TARGETING_KEY_MISSING names the bucketBy attribute when neither it nor targetingKey is present", () => {
    expect(evaluate(snapshot, "rollout", { companyId: true })).toMatchObject({
      errorCode: "TARGETING_KEY_MISSING",
      errorMessage: 'flag "rollout" buckets users by "companyId" or targetingKey, and the context has none',
    });
  });

  it("INVALID_CONTEXT when the context is not a plain object", () => {
    for (const [context, kind] of [
      [null, "null"],
      [[], "an array"],
      ["user-1", "string"],
      [42, "number"],
    ] as const) {
      expect(evaluate(snapshot, "bool", context, { defaultValue: false })).toEqual({
        key: "bool",
        value: false,
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT",
        errorMessage: `evaluation context must be an object, got ${kind}`,
      });
    }
    expect(evaluate(snapshot, "bool", new Map())).toMatchObject({
      errorCode: "INVALID_CONTEXT",
      errorMessage: "evaluation context must be a plain object of attributes",
    });
  });

  it("INVALID_CONTEXT when targetingKey is present but not a string", () => {
    expect(evaluate(snapshot, "bool", { targetingKey: 42 })).toMatchObject({
      errorCode: "INVALID_CONTEXT",
      errorMessage: "targetingKey must be a string, got number",
    });
  });

  it("accepts a missing context and a null-prototype context", () => {
    expect(evaluate(snapshot, "bool", undefined)).toMatchObject({ value: true, reason: "STATIC" });
    expect(evaluate(snapshot, "bool", Object.create(null))).toMatchObject({ value: true, reason: "STATIC" });
  });

  it("PARSE_ERROR names the malformed field of a flag", () => {
    const cases: [unknown, string][] = [
      [null, "flag must be an object"],
      [{ ...booleanFlag("bad"), type: "date" }, "type must be one of boolean, string, number, json"],
      [
        { ...booleanFlag("bad"), variants: { on: "yes", off: false } },
        'variant "on" has a value that is not of type boolean',
      ],
      [
        { ...booleanFlag("bad"), defaultVariant: "maybe" },
        'defaultVariant names variant "maybe", which the flag does not declare',
      ],
      [{ ...booleanFlag("bad"), rules: {} }, "rules must be an array"],
      [
        {
          ...booleanFlag("bad"),
          rules: [{ name: "r", segments: [], conditions: [], variant: "on", split: [{ variant: "off", weight: 1 }] }],
        },
        "rules[0] must serve exactly one of variant or split",
      ],
      [
        {
          ...booleanFlag("bad"),
          rules: [{ segments: [], conditions: [{ attribute: "a", operator: "like" }], variant: "on" }],
        },
        'unknown operator "like"',
      ],
      [
        { ...booleanFlag("bad"), split: [{ variant: "on", weight: 0 }] },
        "split needs non-negative weights with a positive total",
      ],
      [{ ...booleanFlag("bad"), rollout: { kind: "sometimes" } }, 'rollout.kind must be "percentage" or "audience"'],
      [
        { ...booleanFlag("bad"), targets: { u: "maybe" } },
        'targets["u"] names variant "maybe", which the flag does not declare',
      ],
    ];
    for (const [flag, message] of cases) {
      const bad = { ...snapshotOf(), flags: { bad: flag } } as unknown as Snapshot;
      expect(evaluate(bad, "bad", {}, { defaultValue: 7 })).toEqual({
        key: "bad",
        value: 7,
        reason: "ERROR",
        errorCode: "PARSE_ERROR",
        errorMessage: `flag "bad" is malformed: ${message}`,
      });
    }
  });

  it("PARSE_ERROR when the snapshot itself is not a snapshot", () => {
    expect(evaluate(null as unknown as Snapshot, "f", {})).toMatchObject({
      errorCode: "PARSE_ERROR",
      errorMessage: "snapshot must be an object",
    });
    expect(evaluate({} as Snapshot, "f", {})).toMatchObject({
      errorCode: "PARSE_ERROR",
      errorMessage: "snapshot.flags must be an object",
    });
  });

  it("GENERAL when something unforeseen throws, instead of throwing", () => {
    const hostile = snapshotOf(
      booleanFlag("f", {
        hasTargeting: true,
        rules: [{ name: "r", segments: [], conditions: [{ attribute: "a", operator: "exists" }], variant: "on" }],
      }),
    );
    const context = {};
    Object.defineProperty(context, "a", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    expect(evaluate(hostile, "f", context, { defaultValue: false })).toEqual({
      key: "f",
      value: false,
      reason: "ERROR",
      errorCode: "GENERAL",
      errorMessage: "evaluation failed: boom",
    });
  });
});
