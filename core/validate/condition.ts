// Operand checks for conditions: what the schema cannot say about values per operator.
// They use the evaluator's own readers (core/schema/values.ts), so a condition that
// validates is read exactly the same way at evaluation time.
import { RE2JS } from "re2js";
import { ProblemCode } from "../manifest/problem.ts";
import type { Condition, Operator } from "../schema/index.ts";
import { toEpochMillis, toNumber, toSemver } from "../schema/values.ts";
import { join, type Finding } from "./finding.ts";

const NUMERIC: ReadonlySet<Operator> = new Set(["greaterThan", "lessThan", "greaterThanOrEqual", "lessThanOrEqual"]);
const SEMVER: ReadonlySet<Operator> = new Set(["semverEquals", "semverGreaterThan", "semverLessThan"]);
const DATES: ReadonlySet<Operator> = new Set(["before", "after"]);

/** Compile a regex the way the evaluator does (RE2 syntax: linear time, no backreferences). */
export function compileRegex(pattern: string, caseInsensitive: boolean): RE2JS {
  return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
}

function operandProblem(condition: Condition, value: string | number): string | undefined {
  const { operator } = condition;
  if (NUMERIC.has(operator) && Number.isNaN(toNumber(value))) {
    return `${operator} needs a number (got ${JSON.stringify(value)})`;
  }
  if (SEMVER.has(operator) && toSemver(String(value)) === null) {
    return `${operator} needs a semantic version such as 1.4.0 (got ${JSON.stringify(value)})`;
  }
  if (DATES.has(operator) && Number.isNaN(toEpochMillis(value))) {
    const expected = "an RFC 3339 time such as 2026-11-24T09:00:00Z, a date such as 2026-11-24, or epoch milliseconds";
    return `${operator} needs ${expected} (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

function regexProblem(condition: Condition, value: string | number): string | undefined {
  try {
    compileRegex(String(value), condition.caseInsensitive === true);
    return undefined;
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
