// Turn zod issues into the words a platform engineer uses: the field path as it appears in
// the YAML and what is wrong with it, with the offending value when it helps.
import type { z } from "zod";
import { didYouMean } from "../names/suggest.ts";

type Issue = z.core.$ZodIssue & { input?: unknown };

/** `spec.rules[0].conditions[1].operator` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(part))) out += out === "" ? String(part) : `.${String(part)}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** A short rendering of a value for "(got …)". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  // JSON has no infinity: YAML's .inf (or a number too large to hold) would print as null
  if (typeof value === "number" && !Number.isFinite(value)) return `${value}, which is not a finite number`;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function got(issue: Issue): string {
  return "input" in issue ? ` (got ${describeValue(issue.input)})` : "";
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

function sizeMessage(issue: Issue & { code: "too_big" | "too_small" }): string {
  const big = issue.code === "too_big";
  const limit = Number(big ? (issue as { maximum: unknown }).maximum : (issue as { minimum: unknown }).minimum);
  const bound = big ? "at most" : "at least";
  const strict = big ? "less than" : "greater than";
  switch (issue.origin) {
    case "string":
      return `must be ${bound} ${limit} characters long`;
    case "array":
    case "set":
      return `must have ${bound} ${limit} item${limit === 1 ? "" : "s"}`;
    default:
      return `must be ${issue.inclusive === false ? strict : bound} ${limit}${got(issue)}`;
  }
}

function unionMessage(issue: Issue & { code: "invalid_union" }): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === "invalid_type" && inner.path.length === 0)
        expected.add(TYPE_WORDS[inner.expected] ?? inner.expected);
    }
  }
  const input = "input" in issue ? issue.input : undefined;
  if (input === undefined) return "is required";
  if (expected.size === 0) return issue.message;
  return `must be ${[...expected].join(" or ")}${got(issue)}`;
}

function formatMessage(issue: Issue & { code: "invalid_format" }): string {
  if (issue.format === "datetime") return `must be an RFC 3339 time such as 2026-11-24T09:00:00Z${got(issue)}`;
  if (issue.format === "regex") return `${issue.message}${got(issue)}`;
  return `must be a valid ${issue.format}${got(issue)}`;
}

/** For a mistyped enum value such as an operator: the nearest allowed one. */
function suggestion(issue: Issue & { code: "invalid_value" }): string {
  return typeof issue.input === "string" ? didYouMean(issue.input, issue.values.map(String)) : "";
}

/** Plain-words message for one zod issue. */
export function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (!("input" in issue) || issue.input === undefined) return "is required";
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${got(issue)}`;
    case "too_big":
    case "too_small":
      return sizeMessage(issue);
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}${got(issue)}`
        : `must be one of: ${issue.values.map(String).join(", ")}${got(issue)}${suggestion(issue)}`;
    case "invalid_format":
      return formatMessage(issue);
    case "invalid_union":
      return unionMessage(issue);
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}${got(issue)}`;
    default:
      return issue.message;
  }
}

/** One (path, message) per zod issue; unknown fields get one entry per field, named in the path. */
export function describeIssues(issues: readonly Issue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown field" }));
    }
    return [{ path: formatPath(issue.path), message: issueMessage(issue) }];
  });
}
