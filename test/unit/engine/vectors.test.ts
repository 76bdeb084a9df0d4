// Runs the shared evaluation vectors (test/vectors/evaluation.json) that every SDK runs too.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { EvaluateOptions } from "../../../core/evaluate/result.ts";
import { ErrorCode, Reason } from "../../../core/evaluate/result.ts";
import { OPERATORS } from "../../../core/schema/index.ts";
import type { Snapshot } from "../../../core/snapshot.ts";

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
    for (const flag of Object.values(file.snapshot.flags)) {
      for (const rule of flag.rules ?? []) for (const condition of rule.conditions) used.add(condition.operator);
    }
    expect([...used].sort()).toEqual([...OPERATORS].sort());
  });
});
