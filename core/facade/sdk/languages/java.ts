// Java SDK view: a Maven project whose package (and groupId/artifactId) come from the package
// name; camelCase accessors, an enum per closed string flag, FlagKeys and Variants constants,
// Javadoc from descriptions.
import type { JsonValue } from "../../../schema/index.ts";
import { camelCase, constantWords, NameScope, pascalCase, upperSnakeCase, type SdkFlag } from "../model.ts";
import { blockCommentText, headerText, type LanguageTarget, type SdkPackage } from "./target.ts";

const KEYWORDS = `abstract assert boolean break byte case catch char class const continue default do double else enum
extends final finally float for goto if implements import instanceof int interface long native new package private
protected public return short static strictfp super switch synchronized this throw throws transient try void volatile
while true false null var yield record sealed permits client getClass hashCode equals toString notify notifyAll wait`;
const RESERVED_TYPES = ["Flags", "FlagKeys", "Variants", "VexilProvider", "Client", "EvaluationContext", "Value"];
const METHODS = { boolean: "Boolean", string: "String", number: "Double", json: "Object" } as const;
const TYPES = { boolean: "boolean", string: "String", number: "double", json: "Value" } as const;
const BOXED = { boolean: "Boolean", string: "String", number: "Double", json: "Value" } as const;
const JAVA_PACKAGE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/;

/** A Java string literal (JSON's escapes are Java's; a \u in the text stays escaped). */
export function javaString(text: string): string {
  return JSON.stringify(text);
}

/** A Java expression for a flag's default value. */
function javaLiteral(type: SdkFlag["type"], value: JsonValue): string {
  if (type === "boolean") return value === true ? "true" : "false";
  if (type === "number") {
    const n = typeof value === "number" ? value : 0;
    return Number.isInteger(n) && Math.abs(n) < 1e15 ? `${n}.0` : String(n);
  }
  if (type === "string") return javaString(typeof value === "string" ? value : "");
  return `Json.value(${javaString(JSON.stringify(value))})`;
}

/** Javadoc text: no comment end, no unicode escape javac would read, HTML special characters escaped. */
function javadoc(text: string): string {
  return blockCommentText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@/g, "&#64;");
}

function flagView(flag: SdkFlag, members: NameScope, types: NameScope) {
  const enumName = flag.closedValues === undefined ? undefined : types.take(pascalCase(flag.words));
  const accessor = members.take(camelCase(flag.words));
  const enumConstants = new NameScope(["VALUES"]);
  const variantConstants = new NameScope();
  const enumMembers = (flag.closedValues ?? []).map((value) => ({
    name: enumConstants.take(upperSnakeCase(constantWords(value))),
    literal: javaString(value),
  }));
  const defaultMember = enumMembers.find((m) => m.literal === javaString(String(flag.defaultValue))) ?? enumMembers[0];
  return {
    key: flag.key,
    keyLiteral: javaString(flag.key),
    keyConstant: upperSnakeCase(flag.words),
    accessor,
    detailsAccessor: members.take(`${accessor}Details`),
    method: `get${METHODS[flag.type]}Value`,
    detailsMethod: `get${METHODS[flag.type]}Details`,
    valueType: enumName ?? TYPES[flag.type],
    detailsType: BOXED[flag.type],
    defaultLiteral: javaLiteral(flag.type, flag.defaultValue),
    doc: javadoc(flag.description ?? `The "${flag.key}" flag (${flag.type}).`),
    enumName,
    enumMembers,
    defaultMember: defaultMember?.name,
    variantClass: pascalCase(flag.words),
    variants: flag.variants.map((v) => ({
      constant: variantConstants.take(upperSnakeCase(constantWords(v.name))),
      nameLiteral: javaString(v.name),
    })),
  };
}

export const javaTarget: LanguageTarget = {
  defaultPackageName: "dev.vexil.flags",
  // the engine port is one source tree: its conformance tests and every generated SDK use it
  shared: [{ from: "engine/src/main/java", to: "src/main/java" }],
  checkPackageName(name) {
    if (!JAVA_PACKAGE.test(name)) {
      return `"${name}" is not a Java package name of two or more parts (lower case letters, digits, _; e.g. com.acme.flags)`;
    }
    const keyword = name.split(".").find((part) => KEYWORDS.split(/\s+/).includes(part));
    if (keyword !== undefined) return `"${name}" uses the Java keyword "${keyword}" as a part`;
    if (name === "dev.vexil.engine" || name === "dev.vexil.provider")
      return `"${name}" is the Vexil runtime's own package`;
    return undefined;
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
    const parts = pkg.name.split(".");
    return {
      header: headerText(flags, "java"),
      // "--" may not appear inside an XML comment
      xmlHeader: headerText(flags, "java").replace("--language java", "with language java"),
      javaPackage: pkg.name,
      packagePath: parts.join("/"),
      groupId: parts.slice(0, -1).join("."),
      artifactId: parts.at(-1)?.replace(/_/g, "-"),
      version: pkg.version,
      flags: views,
    };
  },
};
