// Variant names and weighted splits of a flag being prepared.
import { saltState, splitThresholds } from "../hashing/bucket.ts";
import { expectNumber, expectObject, optionalArray } from "./shape.ts";
import type { Metadata, PreparedSplit, PreparedVariant } from "./prepared.ts";

/** Resolves variant names against the flag's declared variants. */
export class VariantNames {
  readonly variants: Map<string, PreparedVariant>;
  constructor(variants: Map<string, PreparedVariant>) {
    this.variants = variants;
  }
  ref(name: unknown, where: string): PreparedVariant {
    const variant = typeof name === "string" ? this.variants.get(name) : undefined;
    if (variant === undefined) {
      throw new Error(`${where} names variant ${JSON.stringify(name) ?? "undefined"}, which the flag does not declare`);
    }
    return variant;
  }
  optionalRef(name: unknown, where: string): PreparedVariant | undefined {
    return name === undefined ? undefined : this.ref(name, where);
  }
}

/** What the parts of a flag share while being prepared. */
export interface FlagParts {
  names: VariantNames;
  splitSalt: string;
  metadata: Metadata | undefined;
}

export function prepareSplit(raw: unknown, salt: string, names: VariantNames, where: string): PreparedSplit {
  const entries = optionalArray(raw, where).map((e, i) => expectObject(e, `${where}[${i}]`));
  const variants = entries.map((e, i) => names.ref(e.variant, `${where}[${i}]`));
  const thresholds = splitThresholds(entries.map((e, i) => expectNumber(e.weight, `${where}[${i}].weight`)));
  if (thresholds === undefined) throw new Error(`${where} needs non-negative weights with a positive total`);
  return { variants, thresholds, salt: saltState(salt) };
}

export function optionalSplit(
  raw: unknown,
  salt: string,
  names: VariantNames,
  where: string,
): PreparedSplit | undefined {
  return raw === undefined ? undefined : prepareSplit(raw, salt, names, where);
}
