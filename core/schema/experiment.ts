// Experiment: a controlled split of one flag's traffic with goal metrics and honest statistics.
import { z } from "zod";
import {
  API_GROUP_VERSION,
  environmentName,
  metadataSchema,
  percentage,
  resourceName,
  statusConditionSchema,
  timestamp,
  variantName,
} from "./common.ts";

export const metricSchema = z
  .object({
    name: z.string().min(1).max(63),
    event: z.string().min(1).max(253).describe("Event name sent to POST /v1/events."),
    type: z.enum(["conversion", "numeric"]).default("conversion"),
    goal: z.enum(["increase", "decrease"]).default("increase"),
  })
  .strict();

export const experimentSpecSchema = z
  .object({
    flag: resourceName.describe("Key of the flag whose traffic the experiment splits."),
    environment: environmentName.default("production"),
    description: z.string().max(4096).optional(),
    hypothesis: z.string().max(4096).optional(),
    variants: z
      .array(z.object({ variant: variantName, weight: z.number().min(0).max(100000) }).strict())
      .min(2)
      .max(20),
    control: variantName.describe("The baseline variant the others are compared with."),
    traffic: percentage.default(100).describe("Share of the audience enrolled (0-100)."),
    audience: z
      .object({ segments: z.array(resourceName).max(50).optional() })
      .strict()
      .optional(),
    metrics: z.array(metricSchema).min(1).max(20),
    start: timestamp.optional(),
    stop: timestamp.optional(),
    minimumSamples: z.number().int().min(0).default(150).describe("Conversions per variant before results show."),
  })
  .strict();
export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;

export const variantResultSchema = z.object({
  variant: z.string(),
  exposures: z.number(),
  conversions: z.number(),
  rate: z.number(),
  lift: z.number().optional(),
  liftInterval: z.tuple([z.number(), z.number()]).optional(),
  pValue: z.number().optional(),
  chanceToBeatControl: z.number().optional(),
});

export const experimentSchema = z
  .object({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal("Experiment"),
    metadata: metadataSchema,
    spec: experimentSpecSchema,
    status: z
      .object({
        observedGeneration: z.number().int().optional(),
        conditions: z.array(statusConditionSchema).optional(),
        phase: z.enum(["Pending", "Running", "Stopped"]).optional(),
        results: z.record(z.string(), z.array(variantResultSchema)).optional(),
        sampleRatioMismatch: z.object({ pValue: z.number(), detected: z.boolean() }).optional(),
        recommendation: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .describe("An experiment on one flag.");
export type ExperimentResource = z.infer<typeof experimentSchema>;
