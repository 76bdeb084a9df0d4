// Adding and removing variants, with the checks that give the clearest message for the
// mistakes people actually make (a string value on a boolean flag, a typo in a name).
import type { FeatureFlag, VariantSpec } from "../schema/index.ts";
import { valueFitsType } from "../validate/index.ts";
import { VexilError } from "./errors.ts";

/** What boolean flags serve when spec.variants is left out (docs/evaluation.md). */
export const BOOLEAN_VARIANTS: readonly VariantSpec[] = [
  { name: "on", value: true },
  { name: "off", value: false },
];

const TYPE_HINTS = {
  boolean: "use true or false, or create the flag with flagType STRING, NUMBER or JSON",
  string: "use a string value",
  number: "use a finite number",
  json: "use a JSON object or array",
} as const;

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The variants a flag really has: its own, or the boolean defaults. */
export function effectiveVariants(flag: FeatureFlag): VariantSpec[] {
  if (flag.spec.variants !== undefined) return flag.spec.variants;
  return flag.spec.type === "boolean" ? structuredClone([...BOOLEAN_VARIANTS]) : [];
}

export function effectiveDefaultVariant(flag: FeatureFlag): string | undefined {
  return flag.spec.defaultVariant ?? (flag.spec.type === "boolean" ? "on" : flag.spec.variants?.[0]?.name);
}

export function effectiveOffVariant(flag: FeatureFlag): string | undefined {
  return flag.spec.offVariant ?? (flag.spec.type === "boolean" ? "off" : undefined);
}

export function checkVariantValue(flag: FeatureFlag, variant: VariantSpec): void {
  if (!valueFitsType(variant.value, flag.spec.type)) {
    throw new VexilError(
      "TYPE_MISMATCH",
      `variant "${variant.name}" has ${describeValue(variant.value)} value but flag "${flag.metadata.name}" ` +
        `is of type ${flag.spec.type}; ${TYPE_HINTS[flag.spec.type]}`,
    );
  }
}

/** A copy of `flag` with `variant` added; the first variant of an empty flag becomes its default. */
export function withVariant(flag: FeatureFlag, variant: VariantSpec): FeatureFlag {
  checkVariantValue(flag, variant);
  const variants = effectiveVariants(flag);
  if (variants.some((v) => v.name === variant.name)) {
    throw new VexilError("VARIANT_EXISTS", `flag "${flag.metadata.name}" already has a variant "${variant.name}"`);
  }
  const next = structuredClone(flag);
  next.spec.variants = [...variants, variant];
  if (next.spec.defaultVariant === undefined && flag.spec.type !== "boolean") next.spec.defaultVariant = variant.name;
  return next;
}

export function requireVariant(flag: FeatureFlag, name: string): VariantSpec {
  const variants = effectiveVariants(flag);
  const found = variants.find((v) => v.name === name);
  if (found === undefined) {
    const known = variants.map((v) => `"${v.name}"`).join(", ") || "none";
    throw new VexilError(
      "VARIANT_NOT_FOUND",
      `flag "${flag.metadata.name}" has no variant "${name}" (variants: ${known})`,
    );
  }
  return found;
}

/** A copy of `flag` without the variant; refuses to remove the default or off variant. */
export function withoutVariant(flag: FeatureFlag, name: string): FeatureFlag {
  requireVariant(flag, name);
  for (const [role, current] of [
    ["defaultVariant", effectiveDefaultVariant(flag)],
    ["offVariant", effectiveOffVariant(flag)],
  ] as const) {
    if (current === name) {
      throw new VexilError(
        "VARIANT_IN_USE",
        `variant "${name}" is the ${role} of flag "${flag.metadata.name}"; set another ${role} before removing it`,
      );
    }
  }
  const next = structuredClone(flag);
  next.spec.variants = effectiveVariants(flag).filter((v) => v.name !== name);
  return next;
}
