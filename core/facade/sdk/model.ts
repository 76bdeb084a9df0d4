// What a generated SDK knows about each flag: its key, accessor name, value type and values.
import type { FeatureFlag, JsonValue } from "../../schema/index.ts";
import { effectiveDefaultVariant, effectiveOffVariant, effectiveVariants } from "../variants.ts";

export interface SdkFlag {
  key: string;
  /** camelCase accessor, unique within the file */
  accessor: string;
  type: FeatureFlag["spec"]["type"];
  description?: string;
  variants: { name: string; value: JsonValue }[];
  /** returned when evaluation fails: the off variant's value, else the default's */
  fallback: JsonValue;
}

function camelCase(key: string): string {
  const words = key.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
  const name = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
  return /^[0-9]/.test(name) ? `flag${name}` : name || "flag";
}

function fallbackOf(flag: FeatureFlag): JsonValue {
  const variants = effectiveVariants(flag);
  const name = effectiveOffVariant(flag) ?? effectiveDefaultVariant(flag);
  const found = variants.find((v) => v.name === name) ?? variants[0];
  if (found !== undefined) return found.value;
  return flag.spec.type === "boolean"
    ? false
    : flag.spec.type === "number"
      ? 0
      : flag.spec.type === "string"
        ? ""
        : null;
}

export function sdkFlags(flags: readonly FeatureFlag[]): SdkFlag[] {
  const used = new Set<string>();
  return [...flags]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((flag) => {
      let accessor = camelCase(flag.metadata.name);
      for (let n = 2; used.has(accessor); n++) accessor = `${camelCase(flag.metadata.name)}${n}`;
      used.add(accessor);
      const sdkFlag: SdkFlag = {
        key: flag.metadata.name,
        accessor,
        type: flag.spec.type,
        variants: effectiveVariants(flag).map((v) => ({ name: v.name, value: v.value })),
        fallback: fallbackOf(flag),
      };
      if (flag.spec.description !== undefined) sdkFlag.description = flag.spec.description;
      return sdkFlag;
    });
}

/** The TypeScript type of a flag's values: literal unions for strings and numbers. */
export function valueType(flag: SdkFlag): string {
  if (flag.type === "boolean") return "boolean";
  if (flag.type === "json") return "JsonValue";
  const literals = [...new Set(flag.variants.map((v) => JSON.stringify(v.value)))];
  return literals.length > 0 ? literals.join(" | ") : flag.type;
}

/** Text safe inside a block comment. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();
}
