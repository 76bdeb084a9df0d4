// From the original API's shapes to Vexil resources (and back for contexts). Pure functions:
// interaction.ts loads, calls these, validates and stores.
import {
  API_GROUP_VERSION,
  type FeatureFlag,
  type FeatureFlagSpec,
  type SegmentResource,
  type VariantSpec,
} from "../schema/index.ts";
import { applyTargetingFields } from "./flag-fields.ts";
import type { CreateFlagOptions, FlagChanges } from "./inputs.ts";
import { EvaluationContext, type Segment, type Variant, type VariantOptions } from "./model.ts";

export const DISPLAY_NAME_ANNOTATION = "flags.vexil.dev/display-name";

function metadata(name: string, namespace: string | undefined): FeatureFlag["metadata"] {
  return namespace === undefined ? { name } : { name, namespace };
}

export function toVariantSpec(variant: Variant | VariantOptions): VariantSpec {
  const spec: VariantSpec = { name: variant.name, value: variant.value };
  if (variant.weight !== undefined) spec.weight = variant.weight;
  if (variant.description !== undefined) spec.description = variant.description;
  return spec;
}

/** The FeatureFlag resource `createFlag` stores, before schema validation. */
export function flagFromOptions(options: CreateFlagOptions, namespace: string | undefined): FeatureFlag {
  const flag: FeatureFlag = {
    apiVersion: API_GROUP_VERSION,
    kind: "FeatureFlag",
    metadata: metadata(options.key, namespace),
    spec: { type: options.flagType ?? "boolean", enabled: options.enabled ?? true, killSwitch: false },
  };
  const { key: _key, ...changes } = options;
  return applyFlagChanges(flag, changes);
}

type OptionalSpecField = "description" | "defaultVariant" | "offVariant" | "owner";

function setOrClear(spec: FeatureFlagSpec, field: OptionalSpecField, value: string | null | undefined): void {
  if (value === null) delete spec[field];
  else if (value !== undefined) spec[field] = value;
}

function applyName(flag: FeatureFlag, name: string | null | undefined): void {
  if (name === undefined) return;
  const annotations = { ...flag.metadata.annotations };
  if (name === null) delete annotations[DISPLAY_NAME_ANNOTATION];
  else annotations[DISPLAY_NAME_ANNOTATION] = name;
  if (Object.keys(annotations).length === 0) delete flag.metadata.annotations;
  else flag.metadata.annotations = annotations;
}

/** A copy of `flag` with `changes` applied; fields not mentioned are kept. */
export function applyFlagChanges(flag: FeatureFlag, changes: FlagChanges): FeatureFlag {
  const next = structuredClone(flag);
  const spec = next.spec;
  applyName(next, changes.name);
  if (changes.flagType !== undefined) spec.type = changes.flagType;
  if (changes.enabled !== undefined) spec.enabled = changes.enabled;
  setOrClear(spec, "description", changes.description);
  setOrClear(spec, "defaultVariant", changes.defaultVariant);
  setOrClear(spec, "offVariant", changes.offVariant);
  setOrClear(spec, "owner", changes.owner);
  if (changes.tags === null) delete spec.tags;
  else if (changes.tags !== undefined) spec.tags = [...changes.tags];
  if (changes.variants !== undefined) spec.variants = changes.variants.map(toVariantSpec);
  applyTargetingFields(spec, changes);
  if (changes.rolloutPercentage === null) delete spec.rollout;
  else if (changes.rolloutPercentage !== undefined) {
    spec.rollout = { strategy: "percentage", percentage: changes.rolloutPercentage };
  }
  return next;
}

export function segmentResource(segment: Segment, namespace: string | undefined): SegmentResource {
  const spec: SegmentResource["spec"] = { match: segment.match };
  if (segment.description !== undefined) spec.description = segment.description;
  if (segment.key !== undefined) spec.key = segment.key;
  if (segment.included.length > 0) spec.included = [...segment.included];
  if (segment.excluded.length > 0) spec.excluded = [...segment.excluded];
  if (segment.rules.length > 0) spec.conditions = segment.rules.map((rule) => rule.toCondition());
  return { apiVersion: API_GROUP_VERSION, kind: "Segment", metadata: metadata(segment.name, namespace), spec };
}

/** What callers may pass as a context: an EvaluationContext, `{ userId, attributes, ...flat }`, or OpenFeature's flat shape. */
export type ContextLike = EvaluationContext | Record<string, unknown> | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The flat OpenFeature context evaluate() reads. Anything that is not an object is passed on
 * untouched so that evaluate() answers INVALID_CONTEXT with its own message.
 */
export function toFlagContext(context: unknown): unknown {
  if (context instanceof EvaluationContext) return context.toFlagContext();
  if (!isPlainObject(context)) return context;
  const { userId, attributes, ...flat } = context;
  const entries: [string, unknown][] = [];
  if (isPlainObject(attributes)) entries.push(...Object.entries(attributes));
  else if (attributes !== undefined) entries.push(["attributes", attributes]);
  entries.push(...Object.entries(flat));
  if (userId !== undefined && !Object.hasOwn(flat, "targetingKey")) entries.push(["targetingKey", userId]);
  return Object.fromEntries(entries);
}
