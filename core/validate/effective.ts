// What a flag means once defaults and an environment's overrides are applied. Validation and
// compile share this so they can never disagree about, say, a boolean flag's implicit variants.
import type { FeatureFlagSpec, JsonValue } from "../schema/index.ts";

export interface EffectiveVariant {
  name: string;
  value: JsonValue;
  weight?: number;
}

const BOOLEAN_VARIANTS: readonly EffectiveVariant[] = [
  { name: "on", value: true },
  { name: "off", value: false },
];

/**
 * Variants with the implicit defaults: boolean flags get on/off, defaultVariant "on" and
 * offVariant "off" unless given. Other flags must name defaultVariant; their offVariant defaults
 * to defaultVariant, so turning such a flag off serves its normal value (the caller's code path
 * does not change shape), the behaviour flagd and Flipt have for flags without an "off" value.
 */
export function flagVariants(spec: FeatureFlagSpec): {
  variants: EffectiveVariant[];
  defaultVariant: string | undefined;
  offVariant: string | undefined;
} {
  if (spec.type === "boolean") {
    return {
      variants: spec.variants ?? [...BOOLEAN_VARIANTS],
      defaultVariant: spec.defaultVariant ?? "on",
      offVariant: spec.offVariant ?? "off",
    };
  }
  return {
    variants: spec.variants ?? [],
    defaultVariant: spec.defaultVariant,
    offVariant: spec.offVariant ?? spec.defaultVariant,
  };
}

/**
 * The flag's spec in one environment: override fields replace the flag's own. The flag-level
 * kill switch wins everywhere (an SRE's patch must stop the flag in every environment), and an
 * environment may additionally kill it.
 */
export function specForEnvironment(spec: FeatureFlagSpec, environment: string): FeatureFlagSpec {
  const override = spec.environments?.[environment];
  if (!override) return spec;
  const out: FeatureFlagSpec = { ...spec };
  if (override.enabled !== undefined) out.enabled = override.enabled;
  if (override.defaultVariant !== undefined) out.defaultVariant = override.defaultVariant;
  if (override.targets !== undefined) out.targets = override.targets;
  if (override.rules !== undefined) out.rules = override.rules;
  if (override.rollout !== undefined) out.rollout = override.rollout;
  out.killSwitch = spec.killSwitch || override.killSwitch === true;
  return out;
}
