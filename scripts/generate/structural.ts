// Turns zod's JSON Schema into a Kubernetes *structural* schema: every node has a type (or is
// int-or-string / preserve-unknown-fields), no $ref, no unions beyond int-or-string, maps as
// additionalProperties, closed objects by pruning, descriptions on every field, and the CEL
// rules for each path attached where they belong.
import { RE2JS } from "re2js";
import { childPath, isObject, type CelRule, type JsonSchema } from "./json-schema.ts";
import { mapKeyRule } from "./map-keys.ts";

export interface StructuralOptions {
  /** `$defs` of the root zod output, for resolving `$ref`. */
  defs: Record<string, JsonSchema>;
  /** Description for a path the zod schema left undescribed. */
  describe: (path: string) => string | undefined;
  /** CEL rules to attach at a path. */
  rules: (path: string) => CelRule[];
  /** Lists keyed by a field (`x-kubernetes-list-type: map`), path → key field. */
  listMapKeys?: Record<string, string>;
  /** maxProperties for maps zod leaves unbounded, path → limit (CEL cost estimates need a bound). */
  mapLimits?: Record<string, number>;
}

const INT_SAFE = 9007199254740991;
const VALUE_KEYS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
  "pattern",
] as const;

export function toStructural(
  node: JsonSchema,
  path: string,
  options: StructuralOptions,
  seen: string[] = [],
): JsonSchema {
  const resolved = resolveRef(node, path, options, seen);
  if (resolved.preserve) return finish(openValue(resolved.node), resolved.node, path, options);
  const schema = resolved.node;
  // zod writes a union of plain scalars as `type: [a, b]`: the same union, shorter.
  const typeList = Array.isArray(schema.type)
    ? (schema.type as string[]).map((type) => ({ ...schema, type }))
    : undefined;
  const union = (schema.anyOf ?? schema.oneOf ?? typeList) as JsonSchema[] | undefined;
  if (union) return finish(fromUnion(union, path), schema, path, options);
  for (const forbidden of ["allOf", "not", "if"]) {
    if (forbidden in schema) throw new Error(`${path}: '${forbidden}' has no structural form`);
  }
  const out = scalarOrContainer(schema, path, options, resolved.seen);
  return finish(out, schema, path, options);
}

function resolveRef(node: JsonSchema, path: string, options: StructuralOptions, seen: string[]) {
  const ref = node.$ref;
  if (typeof ref !== "string") return { node, seen, preserve: false };
  const name = ref.replace(/^#\/\$defs\//, "");
  const target = options.defs[name];
  if (!target) throw new Error(`${path}: unresolved $ref ${ref}`);
  const { $ref: _ref, ...rest } = node;
  const merged = { ...target, ...rest };
  // A recursive definition (the JSON value of a variant) cannot be inlined: keep it open.
  const recursive = seen.includes(name) || JSON.stringify(target).includes(`"${ref}"`);
  return { node: merged, seen: [...seen, name], preserve: recursive };
}

/** Any JSON value: structural schemas say so with preserve-unknown-fields (and nullable for null). */
function openValue(schema: JsonSchema): JsonSchema {
  const branches = ((schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined) ?? [];
  const nullable = branches.some((b) => b.type === "null");
  return { ...(nullable ? { nullable: true } : {}), "x-kubernetes-preserve-unknown-fields": true };
}

function fromUnion(branches: JsonSchema[], path: string): JsonSchema {
  const types = branches.map((b) => String(b.type));
  const nonNull = branches.filter((b) => b.type !== "null");
  const kinds = new Set(nonNull.map((b) => String(b.type)));
  if (kinds.size === 2 && kinds.has("string") && (kinds.has("number") || kinds.has("integer"))) {
    // Kubernetes' only scalar union. Numbers with a fraction must then be written as strings.
    // maxLength applies to the string form only, and bounds CEL cost estimates.
    const text = nonNull.find((b) => b.type === "string") ?? {};
    return {
      ...(types.includes("null") ? { nullable: true } : {}),
      "x-kubernetes-int-or-string": true,
      ...(typeof text.maxLength === "number" ? { maxLength: text.maxLength } : {}),
    };
  }
  if (kinds.has("object") || kinds.has("array")) return openValue({ anyOf: branches });
  throw new Error(`${path}: union of ${types.join("|")} has no structural form`);
}

function scalarOrContainer(schema: JsonSchema, path: string, options: StructuralOptions, seen: string[]): JsonSchema {
  const type = schema.type;
  if (type === "object") return objectSchema(schema, path, options, seen);
  if (type === "array") return arraySchema(schema, path, options, seen);
  if (type === "string" || type === "number" || type === "integer" || type === "boolean") {
    return scalarSchema(schema, path);
  }
  throw new Error(`${path}: no type (${JSON.stringify(schema).slice(0, 120)})`);
}

function scalarSchema(schema: JsonSchema, path: string): JsonSchema {
  const out: JsonSchema = { type: schema.type };
  if (schema.format === "date-time") out.format = "date-time"; // the format checks it; zod's long regex adds nothing
  if (Array.isArray(schema.enum)) out.enum = schema.enum;
  else if (schema.const !== undefined) out.enum = [schema.const];
  for (const key of VALUE_KEYS) {
    const value = schema[key];
    if (value === undefined) continue;
    if (key === "pattern" && out.format === "date-time") continue;
    if (typeof value === "number" && Math.abs(value) === INT_SAFE) continue; // zod's safe-integer bounds
    if (key === "pattern") assertRe2(String(value), path);
    out[key] = value;
  }
  // JSON Schema 2020 writes exclusive bounds as numbers; OpenAPI v3 (Kubernetes) as booleans.
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[exclusive] === "number") {
      out[bound] = out[exclusive];
      out[exclusive] = true;
    }
  }
  return out;
}

/** The API server compiles patterns with Go's RE2: catch lookarounds and backreferences here. */
function assertRe2(pattern: string, path: string): void {
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    throw new Error(`${path}: pattern ${pattern} is not RE2: ${(error as Error).message}`, { cause: error });
  }
}

function objectSchema(schema: JsonSchema, path: string, options: StructuralOptions, seen: string[]): JsonSchema {
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  const extra = schema.additionalProperties;
  const out: JsonSchema = { type: "object" };
  if (properties && Object.keys(properties).length > 0) {
    const converted: JsonSchema = {};
    for (const [name, child] of Object.entries(properties)) {
      converted[name] = toStructural(child as JsonSchema, childPath(path, name), options, seen);
    }
    out.properties = converted;
    if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
    // A loose zod object (.loose()) keeps fields it does not know; a strict or stripping one is
    // pruned by the API server (and rejected by server-side field validation in Strict mode).
    if (isObject(extra) && Object.keys(extra).length === 0) out["x-kubernetes-preserve-unknown-fields"] = true;
    return out;
  }
  if (isObject(extra) && Object.keys(extra).length > 0) {
    out.additionalProperties = toStructural(extra, childPath(path, "*"), options, seen);
    const limit = options.mapLimits?.[path];
    if (limit !== undefined) out.maxProperties = limit;
    const keyRule = isObject(schema.propertyNames) ? mapKeyRule(schema.propertyNames, path) : undefined;
    if (keyRule) out["x-kubernetes-validations"] = [keyRule];
    return out;
  }
  out["x-kubernetes-preserve-unknown-fields"] = true;
  return out;
}

function arraySchema(schema: JsonSchema, path: string, options: StructuralOptions, seen: string[]): JsonSchema {
  const out: JsonSchema = { type: "array" };
  const tuple = schema.prefixItems as JsonSchema[] | undefined;
  if (tuple) {
    // Tuples (e.g. a confidence interval) become a fixed-length list of one item type.
    const types = new Set(tuple.map((t) => t.type));
    if (types.size !== 1) throw new Error(`${path}: tuple of mixed types has no structural form`);
    out.items = toStructural(tuple[0] as JsonSchema, childPath(path, "[]"), options, seen);
    out.minItems = tuple.length;
    out.maxItems = tuple.length;
    return out;
  }
  if (!isObject(schema.items)) throw new Error(`${path}: array without items`);
  out.items = toStructural(schema.items, childPath(path, "[]"), options, seen);
  for (const key of ["minItems", "maxItems"] as const) if (typeof schema[key] === "number") out[key] = schema[key];
  const mapKey = options.listMapKeys?.[path];
  if (mapKey) {
    out["x-kubernetes-list-type"] = "map";
    out["x-kubernetes-list-map-keys"] = [mapKey];
  }
  return out;
}

/** Description, default and CEL rules, in a fixed key order so the output is deterministic. */
function finish(out: JsonSchema, source: JsonSchema, path: string, options: StructuralOptions): JsonSchema {
  const description = typeof source.description === "string" ? source.description : options.describe(path);
  const rules = [...((out["x-kubernetes-validations"] as CelRule[] | undefined) ?? []), ...options.rules(path)];
  const { "x-kubernetes-validations": _v, ...rest } = out;
  return {
    ...(description ? { description } : {}),
    ...rest,
    ...(source.default !== undefined ? { default: source.default } : {}),
    ...(rules.length > 0 ? { "x-kubernetes-validations": rules } : {}),
  };
}
