// The original API's enumerations, as `as const` objects so they stay erasable TypeScript.
// Values are the strings the YAML uses, so `FlagType.STRING === "string"`.
import type { FlagTypeName, Operator } from "../schema/index.ts";

export const FlagType = {
  BOOLEAN: "boolean",
  STRING: "string",
  NUMBER: "number",
  JSON: "json",
} as const satisfies Record<string, FlagTypeName>;
export type FlagType = (typeof FlagType)[keyof typeof FlagType];

export const TargetingOperator = {
  // the nine classic operators
  EQUALS: "equals",
  NOT_EQUALS: "notEquals",
  CONTAINS: "contains",
  NOT_CONTAINS: "notContains",
  IN: "in",
  NOT_IN: "notIn",
  GREATER_THAN: "greaterThan",
  LESS_THAN: "lessThan",
  REGEX: "regex",
  // the extended set
  GREATER_THAN_OR_EQUAL: "greaterThanOrEqual",
  LESS_THAN_OR_EQUAL: "lessThanOrEqual",
  STARTS_WITH: "startsWith",
  ENDS_WITH: "endsWith",
  EXISTS: "exists",
  SEMVER_EQUALS: "semverEquals",
  SEMVER_GREATER_THAN: "semverGreaterThan",
  SEMVER_LESS_THAN: "semverLessThan",
  BEFORE: "before",
  AFTER: "after",
} as const satisfies Record<string, Operator>;
export type TargetingOperator = (typeof TargetingOperator)[keyof typeof TargetingOperator];
