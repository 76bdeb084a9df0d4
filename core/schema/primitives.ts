// The schema's plain vocabulary, free of zod: the value types, operators and flag types the
// evaluation engine reads. The engine (core/evaluate) imports only this from the schema, so its
// sources can be shipped inside the generated TypeScript/JavaScript SDKs without zod.

/** JSON value of a variant; flag type decides which shapes are allowed. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const OPERATORS = [
  // the nine classic operators
  "equals",
  "notEquals",
  "contains",
  "notContains",
  "in",
  "notIn",
  "greaterThan",
  "lessThan",
  "regex",
  // the extended set
  "greaterThanOrEqual",
  "lessThanOrEqual",
  "startsWith",
  "endsWith",
  "exists",
  "semverEquals",
  "semverGreaterThan",
  "semverLessThan",
  "before",
  "after",
] as const;
export type Operator = (typeof OPERATORS)[number];

export const FLAG_TYPES = ["boolean", "string", "number", "json"] as const;
export type FlagTypeName = (typeof FLAG_TYPES)[number];
