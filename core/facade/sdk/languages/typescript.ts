// TypeScript and JavaScript SDK views: camelCase accessors, a literal union per closed string
// flag, FlagKeys and FlagVariants constants.
import type { JsonValue } from "../../../schema/index.ts";
import { camelCase, constantWords, NameScope, pascalCase, upperSnakeCase, type SdkFlag } from "../model.ts";
import { blockCommentText, headerText, type LanguageTarget, type SdkPackage } from "./target.ts";

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const RESERVED_TYPES = ["Flags", "FlagKeys", "FlagKey", "FlagVariants", "VexilProvider", "VexilProviderOptions"];
const METHODS = { boolean: "Boolean", string: "String", number: "Number", json: "Object" } as const;

function valueType(flag: SdkFlag, enumName: string | undefined): string {
  if (enumName !== undefined) return enumName;
  return flag.type === "json" ? "JsonValue" : flag.type;
}

function flagView(flag: SdkFlag, members: NameScope, types: NameScope) {
  const enumName = flag.closedValues === undefined ? undefined : types.take(pascalCase(flag.words));
  const constants = new NameScope();
  const literal = (value: JsonValue): string => JSON.stringify(value);
  return {
    key: flag.key,
    keyLiteral: literal(flag.key),
    keyConstant: upperSnakeCase(flag.words),
    accessor: members.take(camelCase(flag.words)),
    detailsAccessor: members.take(`${camelCase(flag.words)}Details`),
    method: `get${METHODS[flag.type]}Value`,
    detailsMethod: `get${METHODS[flag.type]}Details`,
    valueType: valueType(flag, enumName),
    detailsType: flag.type === "json" ? "JsonValue" : flag.type,
    defaultLiteral: literal(flag.defaultValue),
    doc: blockCommentText(flag.description ?? `The "${flag.key}" flag (${flag.type}).`),
    enumName,
    enumMembers: (flag.closedValues ?? []).map((value) => ({
      name: constants.take(upperSnakeCase(constantWords(value))),
      literal: literal(value),
    })),
    enumLiterals: (flag.closedValues ?? []).map(literal).join(", "),
    variants: flag.variants.map((v) => ({ nameLiteral: literal(v.name), valueLiteral: literal(v.value) })),
  };
}

function view(language: string) {
  return (flags: readonly SdkFlag[], pkg: SdkPackage) => {
    const members = new NameScope(["client", "constructor"]);
    const types = new NameScope(RESERVED_TYPES);
    const keys = new NameScope();
    const views = flags.map((flag) => flagView(flag, members, types));
    for (const v of views) v.keyConstant = keys.take(v.keyConstant);
    return { header: headerText(flags, language), packageName: pkg.name, version: pkg.version, flags: views };
  };
}

function checkPackageName(name: string): string | undefined {
  if (name.length > 214) return "an npm package name has at most 214 characters";
  return NPM_NAME.test(name)
    ? undefined
    : `"${name}" is not a valid npm package name (lower case letters, digits, - . _ ~, optionally @scope/)`;
}

export const typescriptTarget: LanguageTarget = {
  defaultPackageName: "vexil-flags",
  checkPackageName,
  view: view("typescript"),
};

export const javascriptTarget: LanguageTarget = {
  defaultPackageName: "vexil-flags",
  checkPackageName,
  view: view("javascript"),
};
