// Resource builders for compile tests: schema-parsed, so defaults apply as in real loading.
import type { AnyResource } from "../../../core/manifest/load.ts";
import { experimentSchema, featureFlagSchema, segmentSchema } from "../../../core/schema/index.ts";

const API = "flags.vexil.dev/v1alpha1";

export function flag(name: string, spec: Record<string, unknown> = {}, namespace?: string): AnyResource {
  return featureFlagSchema.parse({ apiVersion: API, kind: "FeatureFlag", metadata: { name, namespace }, spec });
}

export function segment(name: string, spec: Record<string, unknown> = {}, namespace?: string): AnyResource {
  return segmentSchema.parse({ apiVersion: API, kind: "Segment", metadata: { name, namespace }, spec });
}

export function experiment(name: string, spec: Record<string, unknown>): AnyResource {
  const base = {
    variants: [
      { variant: "on", weight: 50 },
      { variant: "off", weight: 50 },
    ],
    control: "off",
    metrics: [{ name: "purchase", event: "checkout.completed" }],
  };
  return experimentSchema.parse({
    apiVersion: API,
    kind: "Experiment",
    metadata: { name },
    spec: { ...base, ...spec },
  });
}

export const at = (iso: string) => new Date(iso);
