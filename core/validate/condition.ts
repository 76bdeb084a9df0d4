// Operand checks for conditions: what the schema cannot say about values per operator.
// They use the evaluator's own readers (core/schema/values.ts), so a condition that
// validates is read exactly the same way at evaluation time.
import { RE2JS } from "re2js";
import { ProblemCode } from "../manifest/problem.ts";
import type { Condition, Operator } from "../schema/index.ts";
import { toEpochMillis, toNumber, toSemver } from "../schema/values.ts";
import { join, type Finding } from "./finding.ts";
import { isCalendarTime } from "./calendar.ts";
import { MAX_REGEX_INPUT_LENGTH, MAX_REGEX_PROGRAM_SIZE } from "../limits.ts";

const NUMERIC: ReadonlySet<Operator> = new Set(["greaterThan", "lessThan", "greaterThanOrEqual", "lessThanOrEqual"]);
const SEMVER: ReadonlySet<Operator> = new Set(["semverEquals", "semverGreaterThan", "semverLessThan"]);
const DATES: ReadonlySet<Operator> = new Set(["before", "after"]);

/** Compile a regex the way the evaluator does (RE2 syntax: linear time, no backreferences). */
export function compileRegex(pattern: string, caseInsensitive: boolean): RE2JS {
  return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
}

function operandProblem(condition: Condition, value: string | number): string | undefined {
  const { operator } = condition;
  if (typeof value === "number" && !Number.isFinite(value)) {
    return `values must be finite numbers (got ${String(value)}; a number this large reads as infinity)`;
  }
  if (NUMERIC.has(operator) && !Number.isFinite(toNumber(value))) {
    const finite = Number.isNaN(toNumber(value)) ? "" : " (it must be finite)";
    return `${operator} needs a number${finite} (got ${JSON.stringify(value)})`;
  }
  if (SEMVER.has(operator) && toSemver(String(value)) === null) {
    return `${operator} needs a semantic version such as 1.4.0 (got ${JSON.stringify(value)})`;
  }
  if (DATES.has(operator) && (Number.isNaN(toEpochMillis(value)) || !isCalendarTime(value))) {
    const expected = "an RFC 3339 time such as 2026-11-24T09:00:00Z, a date such as 2026-11-24, or epoch milliseconds";
    return `${operator} needs ${expected} (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

function regexProblem(condition: Condition, value: string | number): string | undefined {
  try {
    const size = compileRegex(String(value), condition.caseInsensitive === true).programSize();
    if (size <= MAX_REGEX_PROGRAM_SIZE) return undefined;
    return (
      `regular expression ${JSON.stringify(String(value).slice(0, 80))}${String(value).length > 80 ? "…" : ""} ` +
      `compiles to ${size} RE2 instructions, more than the limit of ${MAX_REGEX_PROGRAM_SIZE}: ` +
      `simplify it (fewer counted repetitions such as {1,100}) or split it across conditions ` +
      `(a regex reads at most ${MAX_REGEX_INPUT_LENGTH} characters of an attribute)`
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid regular expression ${JSON.stringify(String(value))}: ${reason} (RE2 syntax: no backreferences or lookaround)`;
  }
}

/** Problems with one condition at `path` (e.g. spec.rules[0].conditions[2]). */
export function checkCondition(condition: Condition, path: string): Finding[] {
  const values = condition.values ?? [];
  if (condition.operator === "exists") {
    return values.length > 0
      ? [{ code: ProblemCode.INVALID_CONDITION, path: join(path, "values"), message: "exists takes no values" }]
      : [];
  }
  if (values.length === 0) {
    const message = `${condition.operator} needs at least one value`;
    return [{ code: ProblemCode.INVALID_CONDITION, path: join(path, "values"), message }];
  }
  const findings: Finding[] = [];
  values.forEach((value, index) => {
    const at = join(path, `values[${index}]`);
    if (condition.operator === "regex") {
      const message = regexProblem(condition, value);
      if (message) findings.push({ code: ProblemCode.INVALID_REGEX, path: at, message });
      return;
    }
    const message = operandProblem(condition, value);
    if (message) findings.push({ code: ProblemCode.INVALID_OPERAND, path: at, message });
  });
  return findings;
}

export function checkConditions(conditions: readonly Condition[] | undefined, path: string): Finding[] {
  return (conditions ?? []).flatMap((condition, index) =>
    checkCondition(condition, join(path, `conditions[${index}]`)),
  );
}
