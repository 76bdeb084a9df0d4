export * from "./common.ts";
export * from "./flag.ts";
export * from "./guardrails.ts";
export * from "./segment.ts";
export * from "./experiment.ts";
export * from "./experiment-status.ts";

import { experimentSchema } from "./experiment.ts";
import { featureFlagSchema } from "./flag.ts";
import { segmentSchema } from "./segment.ts";

export const RESOURCE_KINDS = ["FeatureFlag", "Segment", "Experiment"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const resourceSchemas = {
  FeatureFlag: featureFlagSchema,
  Segment: segmentSchema,
  Experiment: experimentSchema,
} as const;
