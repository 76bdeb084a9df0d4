// Turning a snapshot condition into its prepared form: values parsed once per snapshot.
// Values that cannot be read for the operator (a bad number, date, version or regex) are left
// out, so they never match; compile rejects them before a snapshot is written.
import type { SemVer } from "semver";
import { RE2JS } from "re2js";
import type { Operator } from "../schema/primitives.ts";
import type { CompiledCondition } from "../snapshot/snapshot.ts";
import { operatorTest, type PreparedCondition } from "./operators.ts";
import { toEpochMillis, toNumber, toSemver } from "../schema/values.ts";
import { expectArray, expectObject } from "./shape.ts";

type Value = string | number;

function readValues(raw: unknown, where: string): Value[] {
  if (raw === undefined) return [];
  const values = expectArray(raw, `${where}.values`);
  for (const value of values) {
    if (typeof value !== "string" && typeof value !== "number") {
      throw new Error(`${where}.values must hold strings and numbers`);
    }
  }
  return values as Value[];
}

function compileRegex(pattern: string, caseInsensitive: boolean): RE2JS | undefined {
  try {
    return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch {
    return undefined;
  }
}

function collect<T>(values: Value[], read: (value: Value) => T | undefined): T[] {
  const out: T[] = [];
  for (const value of values) {
    const parsed = read(value);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

const finite = (n: number): number | undefined => (Number.isNaN(n) ? undefined : n);

/** Prepares one condition; throws a message naming `where` when its shape is wrong. */
export function prepareCondition(raw: unknown, where: string): PreparedCondition {
  const condition = expectObject(raw, where) as Partial<CompiledCondition>;
  if (typeof condition.attribute !== "string") throw new Error(`${where}.attribute must be a string`);
  const operator = condition.operator as Operator;
  const test = operatorTest(operator);
  const caseInsensitive = condition.caseInsensitive === true;
  const values = readValues(condition.values, where);
  const strings = values.map((v) => (caseInsensitive ? String(v).toLowerCase() : String(v)));
  const numbers = collect(values, (v) => finite(toNumber(v)));
  return {
    attribute: condition.attribute,
    operator,
    ...test,
    negate: condition.negate === true,
    exists: operator === "exists",
    caseInsensitive,
    strings,
    stringSet: new Set(strings),
    numbers,
    numberSet: new Set(numbers),
    writtenNumbers: new Set(values.filter((v): v is number => typeof v === "number")),
    semvers: operator.startsWith("semver")
      ? collect(values, (v) => toSemver(String(v)) ?? undefined)
      : ([] as SemVer[]),
    dates: operator === "before" || operator === "after" ? collect(values, (v) => finite(toEpochMillis(v))) : [],
    regexes: operator === "regex" ? collect(values, (v) => compileRegex(String(v), caseInsensitive)) : [],
  };
}
