// Shapes shared by the generator: the JSON Schema zod emits and the Kubernetes structural
// schema (apiextensions.k8s.io/v1 JSONSchemaProps) we turn it into.
import { z } from "zod";

export type JsonSchema = { [key: string]: unknown };

/** One CEL rule as a CRD carries it in `x-kubernetes-validations`. */
export interface CelRule {
  rule: string;
  message: string;
  /** JSONPath relative to the node the rule sits on, e.g. `.defaultVariant`; must be a simple path. */
  fieldPath?: string;
  /** FieldValueInvalid (default) | FieldValueRequired | FieldValueDuplicate | FieldValueForbidden. */
  reason?: "FieldValueInvalid" | "FieldValueRequired" | "FieldValueDuplicate" | "FieldValueForbidden";
}

/** zod → JSON Schema as the user writes it (defaults make fields optional), recursion in `$defs`. */
export function zodToJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: "input",
    target: "draft-2020-12", // keeps propertyNames (map key patterns); openapi-3.0 drops them
    unrepresentable: "throw", // a schema we cannot express must fail the build, not vanish
    cycles: "ref",
    reused: "inline",
  }) as JsonSchema;
}

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Child path for a property, an array item (`[]`) or a map value (`*`). */
export function childPath(path: string, segment: string): string {
  if (segment === "[]") return `${path}[]`;
  return path === "" ? segment : `${path}.${segment}`;
}
