// Experiment: a controlled split of one flag's traffic with goal metrics and honest statistics.
import { z } from "zod";
import {
  API_GROUP_VERSION,
  environmentName,
  metadataSchema,
  percentage,
  resourceName,
  timestamp,
  variantName,
} from "./common.ts";
import { experimentStatusSchema } from "./experiment-status.ts";

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
    minimumSamples: z
      .number()
      .int()
      .min(0)
      .default(150)
      .describe(
        "Conversions of the first metric every variant needs before the recommendation is more than NotEnoughData.",
      ),
  })
  .strict();
export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;

export const experimentSchema = z
  .object({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal("Experiment"),
    metadata: metadataSchema,
    spec: experimentSpecSchema,
    status: experimentStatusSchema.optional(),
  })
  .describe("An experiment on one flag.");
export type ExperimentResource = z.infer<typeof experimentSchema>;
