// Runs the shared evaluation vectors (test/vectors/evaluation.json) that every SDK runs too.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { EvaluateOptions } from "../../../core/evaluate/result.ts";
import { ErrorCode, Reason } from "../../../core/evaluate/result.ts";
import { OPERATORS } from "../../../core/schema/index.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";

interface VectorCase {
  description: string;
  flag: string;
  context: unknown;
  options?: EvaluateOptions;
  expected: {
    value: unknown;
    variant?: string;
    reason: string;
    errorCode?: string;
    metadata?: Record<string, unknown>;
  };
}
const file = JSON.parse(readFileSync(new URL("../../vectors/evaluation.json", import.meta.url), "utf8")) as {
  snapshot: Snapshot;
  cases: VectorCase[];
};

describe("shared evaluation vectors", () => {
  it.each(file.cases.map((c) => [c.description, c] as const))("%s", (_description, c) => {
    const result = evaluate(file.snapshot, c.flag, c.context === null ? undefined : c.context, c.options);
    expect({
      value: result.value,
      variant: result.variant,
      reason: result.reason,
      errorCode: result.errorCode,
    }).toEqual({
      value: c.expected.value,
      variant: c.expected.variant,
      reason: c.expected.reason,
      errorCode: c.expected.errorCode,
    });
    if (c.expected.metadata !== undefined) expect(result.metadata).toEqual(c.expected.metadata);
  });

  it("cover every reason an evaluation can give and every error code it can report", () => {
    const reasons = new Set(file.cases.map((c) => c.expected.reason));
    for (const reason of [
      Reason.STATIC,
      Reason.DEFAULT,
      Reason.TARGETING_MATCH,
      Reason.SPLIT,
      Reason.DISABLED,
      Reason.PREREQUISITE_FAILED,
      Reason.ERROR,
    ]) {
      expect(reasons).toContain(reason);
    }
    const codes = new Set(file.cases.map((c) => c.expected.errorCode));
    for (const code of [
      ErrorCode.FLAG_NOT_FOUND,
      ErrorCode.PARSE_ERROR,
      ErrorCode.TYPE_MISMATCH,
      ErrorCode.TARGETING_KEY_MISSING,
      ErrorCode.INVALID_CONTEXT,
    ]) {
      expect(codes).toContain(code);
    }
  });

  it("cover every operator", () => {
    const used = new Set<string>();
    for (const [key, flag] of Object.entries(file.snapshot.flags)) {
      if (key.startsWith("gen-bad-")) continue; // malformed on purpose (one names an unknown operator)
      for (const rule of flag.rules ?? []) for (const condition of rule.conditions) used.add(condition.operator);
    }
    expect([...used].sort()).toEqual([...OPERATORS].sort());
  });

  it("cover every rollout strategy as compile writes it, and experiments", () => {
    const flags = Object.values(file.snapshot.flags);
    const strategies = new Set(flags.map((f) => f.rollout?.strategy).filter((s) => s !== undefined));
    expect([...strategies].sort()).toEqual(["canary", "gradual", "percentage", "ring", "targeted"]);
    expect(flags.some((f) => f.experiment !== undefined)).toBe(true);
    const served = file.cases.filter((c) => c.expected.metadata?.experiment !== undefined);
    expect(served.length).toBeGreaterThan(0);
  });

  it("hold at least 300 cases, with non-ASCII, emoji, empty and 10 KB user keys", () => {
    expect(file.cases.length).toBeGreaterThanOrEqual(300);
    const keys = file.cases.map((c) => (c.context as { targetingKey?: unknown } | null)?.targetingKey);
    const strings = keys.filter((k): k is string => typeof k === "string");
    expect(strings).toContain("");
    expect(
      strings.some((k) => [...k].some((ch) => ch.codePointAt(0)! > 0x7f) && !/\p{Extended_Pictographic}/u.test(k)),
    ).toBe(true);
    expect(strings.some((k) => /\p{Extended_Pictographic}/u.test(k))).toBe(true);
    expect(strings.some((k) => new TextEncoder().encode(k).length >= 10_240)).toBe(true);
  });
});
