// Condition operators. A condition is prepared once per snapshot (values parsed, regexes
// compiled, sets built) and then tested without allocating.
//
// | operator                 | attribute read as                | holds when                                   |
// |--------------------------|----------------------------------|----------------------------------------------|
// | equals, in               | string, number, boolean          | it equals ANY value (`in` ≡ equals-any)       |
// | notEquals, notIn         | string, number, boolean          | it equals NO value                            |
// | contains                 | string / array                   | string contains ANY value as a substring;     |
// |                          |                                  | array has an element equal to ANY value      |
// | notContains              | string / array                   | contains does not hold                       |
// | startsWith, endsWith     | string                           | it starts/ends with ANY value                |
// | regex                    | string (at most 1 024 characters | ANY pattern matches somewhere (RE2 syntax,    |
// |                          | in total, core/limits.ts)        | linear time; anchor with ^…$ for full match) |
// | greaterThan(OrEqual),    | number or numeric string         | the comparison holds against ANY numeric     |
// | lessThan(OrEqual)        |                                  | value; non-numeric attributes never match    |
// | semverEquals/GreaterThan | semantic version ("v" prefix ok) | comparison holds against ANY value; invalid  |
// | /LessThan                |                                  | versions never match                          |
// | before, after            | ISO date string, epoch ms, Date  | strictly earlier/later than ANY value         |
// | exists                   | anything                         | the attribute is present and not null         |
//
// Equality: strings compare as strings; a number attribute equals a number value or a numeric
// string value with the same number; a string attribute equals a number value only when it is
// numeric with the same number ("1.10" never equals "1.1"); booleans equal "true"/"false".
// Other array attributes (not contains) match when ANY element matches (notX: when none does).
// caseInsensitive compares lower-cased strings (String.prototype.toLowerCase, locale-free) and
// makes regexes case-insensitive. Numbers in string operators are written in shortest form.
// A missing or null attribute makes every operator false, notX included; `negate` inverts the
// final answer, so a missing attribute with negate holds.
import type { SemVer } from "semver";
import { RE2JS } from "re2js";
import type { Operator } from "../schema/primitives.ts";
import { attributeOf, type Context } from "./context.ts";
import { toEpochMillis, toNumber, toSemver } from "../schema/values.ts";
import { MAX_REGEX_INPUT_LENGTH } from "../limits.ts";

type ValueTest = (condition: PreparedCondition, value: unknown) => boolean;

export interface PreparedCondition {
  attribute: string;
  operator: Operator;
  /** tests one present, non-array attribute value (the positive form for notX operators) */
  holds: ValueTest;
  /** tests one element of an array attribute */
  holdsForElement: ValueTest;
  /** notEquals, notIn, notContains: the answer is the opposite of `holds` */
  invert: boolean;
  negate: boolean;
  exists: boolean;
  caseInsensitive: boolean;
  strings: string[];
  stringSet: Set<string>;
  /** numeric values, written as numbers or numeric strings */
  numbers: number[];
  numberSet: Set<number>;
  /** values written as numbers: the only ones a string attribute can equal numerically */
  writtenNumbers: Set<number>;
  semvers: SemVer[];
  dates: number[];
  regexes: RE2JS[];
}

function text(c: PreparedCondition, value: string): string {
  return c.caseInsensitive ? value.toLowerCase() : value;
}

function equalsAny(c: PreparedCondition, value: unknown): boolean {
  if (typeof value === "string") {
    if (c.stringSet.has(text(c, value))) return true;
    return c.writtenNumbers.size > 0 && c.writtenNumbers.has(toNumber(value));
  }
  if (typeof value === "number") return c.numberSet.has(value);
  if (typeof value === "boolean") return c.stringSet.has(value ? "true" : "false");
  return false;
}

function containsAny(c: PreparedCondition, value: unknown): boolean {
  if (typeof value !== "string") return false;
  const subject = text(c, value);
  for (const s of c.strings) if (subject.includes(s)) return true;
  return false;
}

function startsWithAny(c: PreparedCondition, value: unknown): boolean {
  if (typeof value !== "string") return false;
  const subject = text(c, value);
  for (const s of c.strings) if (subject.startsWith(s)) return true;
  return false;
}

function endsWithAny(c: PreparedCondition, value: unknown): boolean {
  if (typeof value !== "string") return false;
  const subject = text(c, value);
  for (const s of c.strings) if (subject.endsWith(s)) return true;
  return false;
}

function regexAny(c: PreparedCondition, value: unknown): boolean {
  if (typeof value !== "string" || value.length > MAX_REGEX_INPUT_LENGTH) return false;
  for (const re of c.regexes) if (re.test(value)) return true;
  return false;
}

function numeric(compare: (a: number, b: number) => boolean): ValueTest {
  return (c, value) => {
    const n = toNumber(value);
    if (Number.isNaN(n)) return false;
    for (const v of c.numbers) if (compare(n, v)) return true;
    return false;
  };
}

function semverTest(compare: (a: SemVer, b: SemVer) => boolean): ValueTest {
  return (c, value) => {
    const version = toSemver(value);
    if (version === null) return false;
    for (const v of c.semvers) if (compare(version, v)) return true;
    return false;
  };
}

function dateTest(compare: (a: number, b: number) => boolean): ValueTest {
  return (c, value) => {
    const t = toEpochMillis(value);
    if (Number.isNaN(t)) return false;
    for (const v of c.dates) if (compare(t, v)) return true;
    return false;
  };
}

const never: ValueTest = () => false;

/** Per operator: the positive test and whether the operator is its negation. */
const OPERATOR_TESTS: Record<Operator, { holds: ValueTest; invert: boolean }> = {
  equals: { holds: equalsAny, invert: false },
  in: { holds: equalsAny, invert: false },
  notEquals: { holds: equalsAny, invert: true },
  notIn: { holds: equalsAny, invert: true },
  contains: { holds: containsAny, invert: false },
  notContains: { holds: containsAny, invert: true },
  startsWith: { holds: startsWithAny, invert: false },
  endsWith: { holds: endsWithAny, invert: false },
  regex: { holds: regexAny, invert: false },
  greaterThan: { holds: numeric((a, b) => a > b), invert: false },
  greaterThanOrEqual: { holds: numeric((a, b) => a >= b), invert: false },
  lessThan: { holds: numeric((a, b) => a < b), invert: false },
  lessThanOrEqual: { holds: numeric((a, b) => a <= b), invert: false },
  semverEquals: { holds: semverTest((a, b) => a.compare(b) === 0), invert: false },
  semverGreaterThan: { holds: semverTest((a, b) => a.compare(b) > 0), invert: false },
  semverLessThan: { holds: semverTest((a, b) => a.compare(b) < 0), invert: false },
  before: { holds: dateTest((a, b) => a < b), invert: false },
  after: { holds: dateTest((a, b) => a > b), invert: false },
  exists: { holds: never, invert: false },
};

/** Whether a prepared condition holds for a context (see the table above). */
export function conditionHolds(c: PreparedCondition, context: Context): boolean {
  const value = attributeOf(context, c.attribute);
  if (value === undefined || value === null) return c.negate;
  if (c.exists) return !c.negate;
  let matched = false;
  if (Array.isArray(value)) {
    if (c.operator === "regex" && regexInputLength(value) > MAX_REGEX_INPUT_LENGTH) return c.negate;
    for (const element of value) {
      if (element !== null && element !== undefined && c.holdsForElement(c, element)) {
        matched = true;
        break;
      }
    }
  } else {
    matched = c.holds(c, value);
  }
  return (matched !== c.invert) !== c.negate;
}

/** Characters a regex condition would read from an array attribute: its strings together. */
function regexInputLength(values: unknown[]): number {
  let length = 0;
  for (const value of values) if (typeof value === "string") length += value.length;
  return length;
}

export function operatorTest(operator: Operator): { holds: ValueTest; holdsForElement: ValueTest; invert: boolean } {
  if (!Object.hasOwn(OPERATOR_TESTS, operator)) throw new Error(`unknown operator "${String(operator)}"`);
  const { holds, invert } = OPERATOR_TESTS[operator];
  const isContains = operator === "contains" || operator === "notContains";
  return { holds, invert, holdsForElement: isContains ? equalsAny : holds };
}
