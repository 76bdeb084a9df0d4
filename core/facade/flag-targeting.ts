// Segments, variants, environments and rollout percentages of a flag.
import { environmentName, type FeatureFlag, type RolloutSpec, type SegmentResource } from "../schema/index.ts";
import { describeIssues } from "../manifest/schema-issues.ts";
import { VexilError } from "./errors.ts";
import { changeFlag } from "./flag-operations.ts";
import type { EnvironmentOverride } from "./inputs.ts";
import { segmentResource, toVariantSpec } from "./mapping.ts";
import { Segment, Variant, type VariantOptions } from "./model.ts";
import { requireFlag, save, type Shared } from "./shared.ts";
import { targetedSegments, targetSegment, untargetSegment } from "./targeting.ts";
import { namedMetadata } from "../names/resource-name.ts";
import { claimName, storedName } from "./names.ts";
import { withoutVariant, withVariant } from "./variants.ts";

export function checkEnvironment(environment: unknown): string {
  const parsed = environmentName.safeParse(environment);
  if (!parsed.success) {
    const message = describeIssues(parsed.error.issues)[0]?.message ?? "is invalid";
    throw new VexilError("INVALID_ARGUMENT", `invalid environment name ${JSON.stringify(environment)}: ${message}`);
  }
  return parsed.data;
}

export async function addSegment(shared: Shared, flagKey: string, segment: Segment): Promise<FeatureFlag> {
  if (!(segment instanceof Segment)) {
    throw new VexilError(
      "INVALID_ARGUMENT",
      'addSegment needs a Segment, e.g. new Segment({ name: "premium-users", rules: [...] })',
    );
  }
  const { name, existing: before } = await claimName(shared, "Segment", segment.name);
  const flag = await requireFlag(shared, flagKey);
  const after = segmentResource(segment, shared.namespace);
  after.metadata = namedMetadata(after.metadata, segment.name, name);
  const saved = await save(shared, [
    { action: before === undefined ? "created" : "updated", before, after },
    { action: "segmentAdded", before: flag, after: targetSegment(flag, name) },
  ]);
  return saved[1] as FeatureFlag;
}

/** Stops targeting the flag to the segment; the Segment itself stays (other flags may use it). */
export async function removeSegment(shared: Shared, flagKey: string, segmentName: string): Promise<FeatureFlag> {
  const flag = await requireFlag(shared, flagKey);
  return changeFlag(shared, "segmentRemoved", flag, untargetSegment(flag, storedName("Segment", segmentName)));
}

export async function listSegments(shared: Shared, flagKey?: string): Promise<SegmentResource[]> {
  const segments = (await shared.definitions.resources()).filter((r): r is SegmentResource => r.kind === "Segment");
  if (flagKey === undefined) return structuredClone(segments);
  const flag = await requireFlag(shared, flagKey);
  const names = targetedSegments(flag);
  return structuredClone(segments.filter((s) => names.includes(s.metadata.name)));
}

export async function addVariant(
  shared: Shared,
  flagKey: string,
  variant: Variant | VariantOptions,
): Promise<FeatureFlag> {
  const checked = variant instanceof Variant ? variant : new Variant(variant);
  const flag = await requireFlag(shared, flagKey);
  return changeFlag(shared, "variantAdded", flag, withVariant(flag, toVariantSpec(checked)));
}

export async function removeVariant(shared: Shared, flagKey: string, variantName: string): Promise<FeatureFlag> {
  const flag = await requireFlag(shared, flagKey);
  return changeFlag(shared, "variantRemoved", flag, withoutVariant(flag, variantName));
}

export async function setEnvironmentOverride(
  shared: Shared,
  flagKey: string,
  environment: string,
  override: EnvironmentOverride,
): Promise<FeatureFlag> {
  checkEnvironment(environment);
  if (override === null || typeof override !== "object") {
    throw new VexilError("INVALID_ARGUMENT", "an environment override is an object, e.g. { enabled: false }");
  }
  const flag = await requireFlag(shared, flagKey);
  const after = structuredClone(flag);
  after.spec.environments = { ...after.spec.environments, [environment]: structuredClone(override) as never };
  return changeFlag(shared, "environmentOverrideSet", flag, after);
}

export async function removeEnvironmentOverride(
  shared: Shared,
  flagKey: string,
  environment: string,
): Promise<FeatureFlag> {
  const flag = await requireFlag(shared, flagKey);
  const environments = { ...flag.spec.environments };
  if (!Object.hasOwn(environments, environment)) {
    const known = Object.keys(environments).join(", ") || "none";
    throw new VexilError(
      "ENVIRONMENT_NOT_FOUND",
      `flag "${flagKey}" has no override for environment "${environment}" (overrides: ${known})`,
    );
  }
  delete environments[environment];
  const after = structuredClone(flag);
  if (Object.keys(environments).length > 0) after.spec.environments = environments;
  else delete after.spec.environments;
  return changeFlag(shared, "environmentOverrideRemoved", flag, after);
}

function percentageRollout(previous: RolloutSpec | undefined, percentage: number): RolloutSpec {
  const rollout: RolloutSpec = { strategy: "percentage", percentage };
  if (previous?.bucketBy !== undefined) rollout.bucketBy = previous.bucketBy;
  if (previous?.salt !== undefined) rollout.salt = previous.salt;
  return rollout;
}

/** A percentage rollout for the flag, or for one environment only; bucketing settings are kept. */
export async function setRolloutPercentage(
  shared: Shared,
  flagKey: string,
  percentage: number,
  environment?: string,
): Promise<FeatureFlag> {
  if (typeof percentage !== "number" || !(percentage >= 0 && percentage <= 100)) {
    throw new VexilError(
      "INVALID_ARGUMENT",
      `rollout percentage must be a number from 0 to 100 (got ${JSON.stringify(percentage)})`,
    );
  }
  const flag = await requireFlag(shared, flagKey);
  const after = structuredClone(flag);
  if (environment === undefined) {
    after.spec.rollout = percentageRollout(flag.spec.rollout, percentage);
  } else {
    checkEnvironment(environment);
    const override = { ...after.spec.environments?.[environment] };
    override.rollout = percentageRollout(override.rollout ?? flag.spec.rollout, percentage);
    after.spec.environments = { ...after.spec.environments, [environment]: override };
  }
  return changeFlag(shared, "rolloutChanged", flag, after);
}
