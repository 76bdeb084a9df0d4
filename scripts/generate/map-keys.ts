// Map keys (e.g. environment names) have no place in a structural schema; zod's
// `propertyNames` becomes a CEL rule over the keys instead.
import type { CelRule, JsonSchema } from "./json-schema.ts";

/** CEL literal for a string: single-quoted raw string, so regex backslashes survive. */
export function celString(value: string): string {
  if (value.includes("'")) throw new Error(`cannot quote ${value} as a CEL raw string`);
  return `r'${value}'`;
}

export function mapKeyRule(keys: JsonSchema, path: string): CelRule | undefined {
  const checks: string[] = [];
  const words: string[] = [];
  if (typeof keys.minLength === "number" && keys.minLength > 0) checks.push(`size(k) >= ${keys.minLength}`);
  if (typeof keys.maxLength === "number") {
    checks.push(`size(k) <= ${keys.maxLength}`);
    words.push(`at most ${keys.maxLength} characters`);
  }
  if (typeof keys.pattern === "string") {
    checks.push(`k.matches(${celString(keys.pattern)})`);
    words.push(`matching ${keys.pattern}`);
  }
  if (checks.length === 0) return undefined;
  return {
    rule: `self.all(k, ${checks.join(" && ")})`,
    message: `keys of ${path} must be names of ${words.join(", ")}`,
  };
}
