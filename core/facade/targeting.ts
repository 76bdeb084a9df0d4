// How `addSegment(flagKey, segment)` targets a flag (docs/typescript-api.md, Segments): members get the default
// ("on") variant with reason TARGETING_MATCH, everyone else the off variant with DEFAULT.
// Written as plain YAML a platform engineer would recognise:
//   rules:   [{ name: "segment:premium-users", segments: [premium-users], serve: { variant: on } }]
//   rollout: { strategy: targeted, segments: [premium-users] }
// The rule serves members (TARGETING_MATCH, ahead of any rollout); the targeted rollout keeps
// everyone else out, so they fall to the off variant with reason DEFAULT. A rollout the flag
// already has (e.g. createFlag's rolloutPercentage) is kept: members always get the flag, everyone
// else stays in that rollout; remove it (rolloutPercentage: null) to make the flag members-only.
import type { FeatureFlag, RuleSpec } from "../schema/index.ts";
import { VexilError } from "./errors.ts";
import { effectiveDefaultVariant } from "./variants.ts";

export const SEGMENT_RULE_PREFIX = "segment:";

function isSegmentRule(rule: RuleSpec, segment?: string): boolean {
  if (rule.name === undefined || !rule.name.startsWith(SEGMENT_RULE_PREFIX)) return false;
  return segment === undefined || rule.name === SEGMENT_RULE_PREFIX + segment;
}

/** Segments this flag was targeted to through addSegment, in the order they were added. */
export function targetedSegments(flag: FeatureFlag): string[] {
  return (flag.spec.rules ?? [])
    .filter((rule) => isSegmentRule(rule))
    .map((rule) => rule.name!.slice(SEGMENT_RULE_PREFIX.length));
}

export function targetSegment(flag: FeatureFlag, segment: string): FeatureFlag {
  const variant = effectiveDefaultVariant(flag);
  if (variant === undefined) {
    throw new VexilError(
      "VARIANT_NOT_FOUND",
      `flag "${flag.metadata.name}" has no variants yet; add a variant before targeting segment "${segment}"`,
    );
  }
  const next = structuredClone(flag);
  const rules = next.spec.rules ?? [];
  if (!rules.some((rule) => isSegmentRule(rule, segment))) {
    rules.push({ name: SEGMENT_RULE_PREFIX + segment, segments: [segment], serve: { variant } });
  }
  next.spec.rules = rules;
  const rollout = next.spec.rollout;
  // a rollout the flag already has (percentage, gradual, ring, canary) is kept, never dropped:
  // members get the flag through the rule, everyone else stays in that rollout
  if (rollout !== undefined && rollout.strategy !== "targeted") return next;
  const targeted = rollout?.segments ?? [];
  next.spec.rollout = { strategy: "targeted", segments: [...new Set([...targeted, segment])] };
  return next;
}

export function untargetSegment(flag: FeatureFlag, segment: string): FeatureFlag {
  if (!(flag.spec.rules ?? []).some((rule) => isSegmentRule(rule, segment))) {
    throw new VexilError(
      "SEGMENT_NOT_FOUND",
      `flag "${flag.metadata.name}" is not targeted to segment "${segment}" (targeted: ${targetedSegments(flag).join(", ") || "none"})`,
    );
  }
  const next = structuredClone(flag);
  const rules = (next.spec.rules ?? []).filter((rule) => !isSegmentRule(rule, segment));
  if (rules.length > 0) next.spec.rules = rules;
  else delete next.spec.rules;
  const rollout = next.spec.rollout;
  if (rollout?.strategy === "targeted") {
    const segments = (rollout.segments ?? []).filter((name) => name !== segment);
    if (segments.length > 0) rollout.segments = segments;
    else delete next.spec.rollout;
  }
  return next;
}
