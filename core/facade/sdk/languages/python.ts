// Python SDK view: snake_case accessors, a Literal alias per closed string flag, FlagKeys and
// per-flag variant constants, docstrings from descriptions.
import type { JsonValue } from "../../../schema/index.ts";
import { constantWords, NameScope, pascalCase, snakeCase, upperSnakeCase, type SdkFlag } from "../model.ts";
import { headerText, type LanguageTarget, type SdkPackage } from "./target.ts";

const KEYWORDS = `False None True and as assert async await break class continue def del elif else except finally
for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type client`;
const RESERVED_TYPES = ["Flags", "FlagKeys", "Variants", "VexilProvider", "JsonValue", "Literal", "Final"];
const METHODS = { boolean: "boolean", string: "string", number: "float", json: "object" } as const;
const TYPES = { boolean: "bool", string: "str", number: "float", json: "JsonValue" } as const;

/** A Python literal for a JSON value. */
export function pythonLiteral(value: JsonValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isInteger(value) ? `${value}.0` : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`)
    .join(", ")}}`;
}

function docstring(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"');
}

function flagView(flag: SdkFlag, members: NameScope, types: NameScope) {
  const enumName = flag.closedValues === undefined ? undefined : types.take(pascalCase(flag.words));
  const accessor = members.take(snakeCase(flag.words));
  const variantNames = new NameScope();
  const literal = (v: JsonValue) => (flag.type === "number" ? pythonLiteral(v) : pythonLiteral(v));
  return {
    key: flag.key,
    keyLiteral: JSON.stringify(flag.key),
    keyConstant: upperSnakeCase(flag.words),
    accessor,
    detailsAccessor: members.take(`${accessor}_details`),
    method: `get_${METHODS[flag.type]}_value`,
    detailsMethod: `get_${METHODS[flag.type]}_details`,
    valueType: enumName ?? TYPES[flag.type],
    detailsType: TYPES[flag.type],
    defaultLiteral: literal(flag.defaultValue),
    doc: docstring(flag.description ?? `The "${flag.key}" flag (${flag.type}).`),
    enumName,
    enumLiterals: (flag.closedValues ?? []).map((v) => JSON.stringify(v)).join(", "),
    variantClass: pascalCase(flag.words),
    variants: flag.variants.map((v) => ({
      constant: variantNames.take(upperSnakeCase(constantWords(v.name))),
      nameLiteral: JSON.stringify(v.name),
    })),
  };
}

export const pythonTarget: LanguageTarget = {
  defaultPackageName: "vexil-flags",
  // the engine package (tested on its own by its conformance runner) becomes the SDK's _engine
  shared: [{ from: "engine/vexil_engine", to: "src/{{module}}/_engine" }],
  checkPackageName(name) {
    return /^[A-Za-z][A-Za-z0-9._-]*[A-Za-z0-9]$/.test(name)
      ? undefined
      : `"${name}" is not a valid Python distribution name (letters, digits, . _ -; starting with a letter)`;
  },
  view(flags: readonly SdkFlag[], pkg: SdkPackage) {
    const members = new NameScope(KEYWORDS.split(/\s+/));
    const types = new NameScope(RESERVED_TYPES);
    const keys = new NameScope();
    const classes = new NameScope(RESERVED_TYPES);
    const views = flags.map((flag) => flagView(flag, members, types));
    for (const v of views) {
      v.keyConstant = keys.take(v.keyConstant);
      v.variantClass = classes.take(v.variantClass);
    }
    const module = pkg.name.toLowerCase().replace(/[-.]+/g, "_");
    return { header: headerText(flags, "python"), packageName: pkg.name, version: pkg.version, module, flags: views };
  },
};
