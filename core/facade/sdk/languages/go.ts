// Go SDK view: a module (go.mod) whose root package holds a typed accessor per flag
// (NewCheckout(ctx, evalCtx)) on github.com/open-feature/go-sdk, key and variant constants, a
// string type per closed string flag; the provider runtime (vexil/) and the engine (engine/,
// copied from sdk-templates/go/engine, the one source) import each other by the module's path.
import type { JsonValue } from "../../../schema/index.ts";
import { constantWords, NameScope, pascalCase, wordsOf, type SdkFlag } from "../model.ts";
import type { GeneratedFile } from "../templates.ts";
import { headerText, type LanguageTarget, type SdkPackage } from "./target.ts";

/** The import path the runtime sources use for the engine while they live in sdk-templates/. */
const ENGINE_IMPORT = '"vexil.dev/sdk/engine"';
const PACKAGE_NAMES = ["New", "NewProvider", "Provider", "ProviderOptions", "Mode", "ModeRemote", "ModeLocal", "Flags"];
const KINDS = {
  boolean: { value: "Boolean", details: "BooleanValueDetails", type: "bool", detailsType: "BooleanEvaluationDetails" },
  string: { value: "String", details: "StringValueDetails", type: "string", detailsType: "StringEvaluationDetails" },
  number: { value: "Float", details: "FloatValueDetails", type: "float64", detailsType: "FloatEvaluationDetails" },
  json: { value: "Object", details: "ObjectValueDetails", type: "any", detailsType: "InterfaceEvaluationDetails" },
} as const;
const KEYWORDS = `break case chan const continue default defer else fallthrough for func go goto if import interface
map package range return select struct switch type var`.split(/\s+/);
const ELEMENT = /^[A-Za-z0-9_~-]+(\.[A-Za-z0-9_~-]+)*$/;

/** A Go expression for a JSON value where its type is `any` (numbers are float64, as encoding/json decodes them). */
export function goLiteral(value: JsonValue): string {
  if (value === null) return "nil";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    const text = JSON.stringify(value);
    return /[.e]/.test(text) ? text : `${text}.0`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[]any{${value.map(goLiteral).join(", ")}}`;
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${goLiteral(v)}`);
  return `map[string]any{${entries.join(", ")}}`;
}

function flagView(flag: SdkFlag, methods: NameScope, names: NameScope) {
  const kind = KINDS[flag.type];
  const pascal = pascalCase(flag.words);
  const enumName = flag.closedValues === undefined ? undefined : names.take(pascal);
  const accessor = methods.take(pascal);
  const defaultLiteral = flag.type === "json" ? goLiteral(flag.defaultValue) : JSON.stringify(flag.defaultValue);
  const members = (flag.closedValues ?? []).map((value) => ({
    name: names.take(`${enumName}${pascalCase(constantWords(value))}`),
    type: enumName,
    literal: JSON.stringify(value),
  }));
  return {
    key: flag.key,
    keyLiteral: JSON.stringify(flag.key),
    keyConstant: names.take(`Key${pascal}`),
    accessor,
    detailsAccessor: methods.take(`${accessor}Details`),
    method: kind.value,
    detailsMethod: kind.details,
    valueType: enumName ?? kind.type,
    detailsType: kind.detailsType,
    defaultLiteral,
    defaultMember: members.find((m) => m.literal === defaultLiteral)?.name,
    doc: docLine(accessor, flag),
    enumName,
    enumMembers: members,
    enumList: members.map((m) => m.name).join(", "),
    variants: flag.variants.map((v) => ({
      constant: names.take(`Variant${pascal}${pascalCase(constantWords(v.name))}`),
      nameLiteral: JSON.stringify(v.name),
    })),
  };
}

/** The accessor's doc comment: the description when there is one (gofmt wants whole sentences). */
function docLine(accessor: string, flag: SdkFlag): string {
  if (flag.description === undefined) return `${accessor} returns the "${flag.key}" flag (${flag.type}).`;
  const text = `${accessor} returns the "${flag.key}" flag: ${flag.description}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Names padded to one width, as gofmt aligns the "=" of a const block. */
function padded<T extends { [key: string]: unknown }>(items: T[], field: keyof T & string): void {
  const width = Math.max(0, ...items.map((item) => String(item[field]).length));
  for (const item of items) (item as Record<string, unknown>)[`${field}Padded`] = String(item[field]).padEnd(width);
}

/** The Go package name of a module path: its last element (before a /vN suffix), letters and digits only. */
export function goPackageName(modulePath: string): string {
  const elements = modulePath.split("/");
  let last = elements.at(-1) as string;
  if (/^v[0-9]+$/.test(last) && elements.length > 1) last = elements.at(-2) as string;
  const name = wordsOf(last).join("");
  return KEYWORDS.includes(name) ? `${name}flags` : name;
}

function checkPackageName(name: string): string | undefined {
  const elements = name.split("/");
  const bad = elements.some((e) => !ELEMENT.test(e)) || /[A-Z]/.test(elements[0] as string);
  return bad
    ? `"${name}" is not a valid Go module path (slash-separated elements of letters, digits, - . _ ~, e.g. example.com/shop/flags)`
    : undefined;
}

export const goTarget: LanguageTarget = {
  defaultPackageName: "vexil-flags",
  checkPackageName,
  view(flags: readonly SdkFlag[], pkg: SdkPackage) {
    const methods = new NameScope(["Client"]);
    const names = new NameScope(PACKAGE_NAMES);
    const views = flags.map((flag) => flagView(flag, methods, names));
    padded(views, "keyConstant");
    padded(
      views.flatMap((v) => v.variants),
      "constant",
    );
    for (const v of views) padded(v.enumMembers, "name");
    return {
      header: headerText(flags, "go"),
      module: pkg.name,
      version: pkg.version,
      goPackage: goPackageName(pkg.name),
      flags: views,
    };
  },
  // the engine's sources, not its tests or its own go.mod
  shared: [{ from: "engine", to: "engine", only: /^[^/]+(?<!_test)\.go$/ }],
  finish(files: GeneratedFile[], pkg: SdkPackage): GeneratedFile[] {
    const engineImport = JSON.stringify(`${pkg.name}/engine`);
    return files.map((file) =>
      file.path.startsWith("vexil/")
        ? { ...file, contents: file.contents.replaceAll(ENGINE_IMPORT, engineImport) }
        : file,
    );
  },
};
