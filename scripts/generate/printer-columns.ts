// `kubectl get` columns and names per kind: what a platform engineer scans for first.
import type { ResourceKind } from "../../core/schema/index.ts";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description: string;
  priority?: number;
}

const ready: PrinterColumn = {
  name: "Ready",
  type: "string",
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: "Whether the operator compiled the resource into every environment's snapshot.",
};
const age: PrinterColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
  description: "Time since the resource was created.",
};

export const printerColumns: Record<ResourceKind, PrinterColumn[]> = {
  FeatureFlag: [
    { name: "Type", type: "string", jsonPath: ".spec.type", description: "Flag type." },
    { name: "Enabled", type: "boolean", jsonPath: ".spec.enabled", description: "false serves offVariant." },
    {
      name: "Kill Switch",
      type: "boolean",
      jsonPath: ".spec.killSwitch",
      description: "true serves offVariant everywhere.",
    },
    { name: "Rollout", type: "string", jsonPath: ".spec.rollout.strategy", description: "Rollout strategy." },
    {
      name: "Percentage",
      type: "number",
      jsonPath: ".spec.rollout.percentage",
      description: "Rollout percentage (percentage and canary).",
    },
    ready,
    {
      name: "Reason",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
      description: "Why the flag is (not) ready.",
      priority: 1,
    },
    {
      name: "Last Evaluated",
      type: "date",
      jsonPath: ".status.usage.lastEvaluatedAt",
      description: "Time since an evaluator last evaluated the flag (from the event store).",
    },
    {
      name: "Stale",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Stale")].reason',
      description: "Why the flag is stale: NeverEvaluated, NotEvaluated or SingleVariant (Fresh when not).",
      priority: 1,
    },
    age,
  ],
  Segment: [
    { name: "Match", type: "string", jsonPath: ".spec.match", description: "all or any of the conditions." },
    ready,
    age,
  ],
  Experiment: [
    { name: "Flag", type: "string", jsonPath: ".spec.flag", description: "Flag whose traffic is split." },
    {
      name: "Environment",
      type: "string",
      jsonPath: ".spec.environment",
      description: "Environment experimented in.",
      priority: 1,
    },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Pending, Running or Concluded." },
    {
      name: "Leading",
      type: "string",
      jsonPath: ".status.leadingVariant.variant",
      description: "Treatment most likely to beat the control on the first metric.",
    },
    {
      name: "Lift",
      type: "number",
      jsonPath: ".status.leadingVariant.lift",
      description: "Lift of the leading variant against the control (0.05 = +5%).",
    },
    {
      name: "Beat Control",
      type: "number",
      jsonPath: ".status.leadingVariant.chanceToBeatControl",
      description: "Chance that the leading variant beats the control.",
    },
    {
      name: "SRM",
      type: "boolean",
      jsonPath: ".status.sampleRatioMismatch.detected",
      description: "Sample ratio mismatch: the observed split differs from the weights (p < 0.001).",
    },
    {
      name: "Recommendation",
      type: "string",
      jsonPath: ".status.recommendation.action",
      description: "What to do next.",
      priority: 1,
    },
    { ...ready, priority: 1 },
    age,
  ],
};

export const resourceNames: Record<ResourceKind, { plural: string; singular: string; shortNames: string[] }> = {
  FeatureFlag: { plural: "featureflags", singular: "featureflag", shortNames: ["ff", "flag"] },
  Segment: { plural: "segments", singular: "segment", shortNames: ["seg"] },
  Experiment: { plural: "experiments", singular: "experiment", shortNames: ["exp"] },
};
