// Checks on one FeatureFlag that need nothing but the flag itself.
import { ProblemCode } from "../manifest/problem.ts";
import type { FeatureFlag, FlagTypeName, JsonValue } from "../schema/index.ts";
import { flagVariants, type EffectiveVariant } from "./effective.ts";
import { attach, join, unknownVariant, type Finding } from "./finding.ts";
import type { ManifestProblem } from "../manifest/problem.ts";
import { checkSplit, checkTargeting } from "./targeting.ts";

const TYPE_WORDS: Record<FlagTypeName, string> = {
  boolean: "true or false",
  string: "a string",
  number: "a number",
  json: "a JSON object or array",
};

/** Does a variant value fit the flag type? json flags hold objects or arrays, as OpenFeature's object type. */
export function valueFitsType(value: JsonValue, type: FlagTypeName): boolean {
  switch (type) {
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "json":
      return typeof value === "object" && value !== null;
  }
}

function checkVariants(type: FlagTypeName, variants: EffectiveVariant[]): Finding[] {
  if (variants.length === 0) {
    const message = `a ${type} flag needs at least one variant (only boolean flags get on/off by default)`;
    return [{ code: ProblemCode.MISSING_VARIANTS, path: "spec.variants", message }];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  variants.forEach((variant, index) => {
    if (seen.has(variant.name)) {
      const message = `variant "${variant.name}" is declared twice`;
      findings.push({ code: ProblemCode.DUPLICATE_VARIANT, path: `spec.variants[${index}].name`, message });
    }
    seen.add(variant.name);
    if (!valueFitsType(variant.value, type)) {
      const message = `must be ${TYPE_WORDS[type]} for a ${type} flag (got ${JSON.stringify(variant.value)})`;
      findings.push({ code: ProblemCode.TYPE_MISMATCH_VALUE, path: `spec.variants[${index}].value`, message });
    }
  });
  const weighted = variants.filter((variant) => variant.weight !== undefined);
  if (weighted.length > 0) {
    const split = weighted.map((variant) => ({ variant: variant.name, weight: variant.weight ?? 0 }));
    findings.push(...checkSplit(split, [...seen], "spec.variants").filter((f) => f.code === ProblemCode.INVALID_SPLIT));
  }
  return findings;
}

function checkNamedVariants(flag: FeatureFlag, names: string[]): Finding[] {
  const { spec } = flag;
  const { defaultVariant, offVariant } = flagVariants(spec);
  const findings: Finding[] = [];
  if (defaultVariant === undefined) {
    const message = `is required for a ${spec.type} flag: name the variant served when nothing else decides (one of ${names.join(", ")})`;
    findings.push({ code: ProblemCode.MISSING_DEFAULT_VARIANT, path: "spec.defaultVariant", message });
  } else if (!names.includes(defaultVariant)) {
    findings.push(unknownVariant("spec.defaultVariant", defaultVariant, names));
  }
  if (offVariant !== undefined && offVariant !== defaultVariant && !names.includes(offVariant)) {
    findings.push(unknownVariant("spec.offVariant", offVariant, names));
  }
  return findings;
}

function checkEnvironments(flag: FeatureFlag, names: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const [environment, override] of Object.entries(flag.spec.environments ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const path = join("spec.environments", environment);
    if (override.defaultVariant !== undefined && !names.includes(override.defaultVariant)) {
      findings.push(unknownVariant(join(path, "defaultVariant"), override.defaultVariant, names));
    }
    findings.push(...checkTargeting(override, names, path));
  }
  return findings;
}

/** Every problem with one flag that its own spec shows (no other resources needed). */
export function validateFlag(flag: FeatureFlag): ManifestProblem[] {
  const { variants } = flagVariants(flag.spec);
  const names = [...new Set(variants.map((variant) => variant.name))];
  const findings = [
    ...checkVariants(flag.spec.type, variants),
    ...checkNamedVariants(flag, names),
    ...checkTargeting(flag.spec, names, "spec"),
    ...checkEnvironments(flag, names),
  ];
  (flag.spec.prerequisites ?? []).forEach((prerequisite, index) => {
    if (prerequisite.flag === flag.metadata.name) {
      const message = `a flag cannot depend on itself (prerequisite cycle: ${prerequisite.flag} → ${prerequisite.flag})`;
      findings.push({ code: ProblemCode.PREREQUISITE_CYCLE, path: `spec.prerequisites[${index}].flag`, message });
    }
  });
  return attach(flag, findings);
}
