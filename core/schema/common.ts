// Building blocks shared by every Vexil resource. This folder is the single source of
// truth: TypeScript types, runtime validation, the CRDs' OpenAPI schemas and the docs'
// field tables are all derived from these zod schemas.
import { z } from "zod";
import { OPERATORS, type JsonValue } from "./primitives.ts";

export { OPERATORS, type JsonValue, type Operator } from "./primitives.ts";

export const API_GROUP = "flags.vexil.dev";
export const API_VERSION = "v1alpha1";
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** Names of flags, segments, variants and environments: DNS-1123-ish, as kubectl expects. */
export const resourceName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    message: "must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit",
  });

export const variantName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    message: "must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  })
  .describe("Name of a variant declared in spec.variants.");

export const environmentName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: "must be lowercase letters, digits or '-'" });

/** Attribute names are looked up as own properties only, so `__proto__` is just a name. */
export const attributeName = z
  .string()
  .min(1)
  .max(256)
  .describe("Evaluation-context attribute to test, e.g. `country`; `targetingKey` is the user id.");

export const percentage = z.number().min(0).max(100);

/** Durations such as `30s`, `15m`, `2h`, `1d`, `1h30m`. */
export const duration = z
  .string()
  .regex(/^(\d+(ms|s|m|h|d))+$/, { message: "must be a duration such as 30s, 15m, 2h or 1d" })
  .describe("Duration such as `30s`, `15m`, `2h`, `1d` or `1h30m`.");

export const timestamp = z.iso.datetime({ offset: true }).describe("RFC 3339 time, e.g. 2026-11-24T09:00:00Z.");

export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const conditionValue = z.union([z.string().max(1024), z.number()]);

export const conditionSchema = z
  .object({
    attribute: attributeName,
    operator: z
      .enum(OPERATORS)
      .describe(
        "Comparison: equals, notEquals, contains, notContains, in, notIn, greaterThan, lessThan, regex, " +
          "greaterThanOrEqual, lessThanOrEqual, startsWith, endsWith, exists, semverEquals, " +
          "semverGreaterThan, semverLessThan, before, after.",
      ),
    values: z
      .array(conditionValue)
      .max(1000)
      .optional()
      .describe(
        "Values to compare against; the condition holds when any value matches (notEquals, notIn and " +
          "notContains hold when none does). Numbers may be written as numbers or strings.",
      ),
    negate: z.boolean().optional().describe("Invert the result of the comparison."),
    caseInsensitive: z.boolean().optional().describe("Compare strings ignoring case (string operators and regex)."),
  })
  .strict()
  .describe("A test of one context attribute.");
export type Condition = z.infer<typeof conditionSchema>;

export const conditionType = z.enum(["Ready", "Reconciling", "Stalled"]);
export const statusConditionSchema = z.object({
  type: conditionType,
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: timestamp,
  observedGeneration: z.number().int().optional(),
});
export type StatusCondition = z.infer<typeof statusConditionSchema>;

export const metadataSchema = z
  .object({
    name: resourceName,
    namespace: resourceName.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    generation: z.number().int().optional(),
    resourceVersion: z.string().optional(),
    uid: z.string().optional(),
    creationTimestamp: z.string().optional(),
  })
  .loose();
export type ResourceMetadata = z.infer<typeof metadataSchema>;
