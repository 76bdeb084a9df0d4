// What a generated SDK knows about each flag, in language-neutral form: its key, the words of
// its name (each language joins them its own way), type, description, variants and the declared
// default that accessors fall back to.
import type { FeatureFlag, JsonValue } from "../../schema/index.ts";
import { effectiveDefaultVariant, effectiveVariants } from "../variants.ts";

export type SdkFlagType = FeatureFlag["spec"]["type"];

export interface SdkFlag {
  key: string;
  /** lower-case words of the key: "new-checkout" → ["new", "checkout"] */
  words: string[];
  type: SdkFlagType;
  description?: string;
  variants: { name: string; value: JsonValue }[];
  /** the default variant's value: what an accessor returns when evaluation fails */
  defaultValue: JsonValue;
  /** a string flag's distinct values: the enum or literal union of its accessor */
  closedValues?: string[];
}

/** "new-checkout" → ["new", "checkout"]; "2fa.enabled" → ["flag", "2fa", "enabled"]; "HTTPRetries" → ["http", "retries"]. */
export function wordsOf(text: string): string[] {
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  const words = spaced
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  if (words.length === 0) return ["flag"];
  return /^[0-9]/.test(words[0] as string) ? ["flag", ...words] : words;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
export const camelCase = (words: readonly string[]): string =>
  words.map((w, i) => (i === 0 ? w : capitalize(w))).join("");
export const pascalCase = (words: readonly string[]): string => words.map(capitalize).join("");
export const snakeCase = (words: readonly string[]): string => words.join("_");
export const upperSnakeCase = (words: readonly string[]): string => words.join("_").toUpperCase();

function emptyValue(type: SdkFlagType): JsonValue {
  return type === "boolean" ? false : type === "number" ? 0 : type === "string" ? "" : {};
}

function defaultValueOf(flag: FeatureFlag): JsonValue {
  const variants = effectiveVariants(flag);
  const name = effectiveDefaultVariant(flag);
  const found = variants.find((v) => v.name === name) ?? variants[0];
  return found === undefined ? emptyValue(flag.spec.type) : found.value;
}

export function sdkFlags(flags: readonly FeatureFlag[]): SdkFlag[] {
  return [...flags]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((flag) => {
      const variants = effectiveVariants(flag).map((v) => ({ name: v.name, value: v.value }));
      const sdkFlag: SdkFlag = {
        key: flag.metadata.name,
        words: wordsOf(flag.metadata.name),
        type: flag.spec.type,
        variants,
        defaultValue: defaultValueOf(flag),
      };
      if (flag.spec.description !== undefined) sdkFlag.description = flag.spec.description.replace(/\s+/g, " ").trim();
      if (flag.spec.type === "string" && variants.length > 0) {
        sdkFlag.closedValues = [...new Set(variants.map((v) => v.value as string))];
      }
      return sdkFlag;
    });
}

/** Names made unique within one scope: a clash gets 2, 3, … appended. */
export class NameScope {
  readonly #used: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.#used = new Set(reserved);
  }

  take(name: string): string {
    let unique = name;
    for (let n = 2; this.#used.has(unique); n++) unique = `${name}${n}`;
    this.#used.add(unique);
    return unique;
  }
}

/** Words for a constant made from a value or variant name ("#0af" → ["0af"] → "V_0AF"). */
export function constantWords(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  if (words.length === 0) return ["value"];
  return /^[0-9]/.test(words[0] as string) ? ["v", ...words] : words;
}
