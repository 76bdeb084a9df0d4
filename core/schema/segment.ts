// Segment: a reusable audience, referenced by name from flag rules, rings and experiments.
import { z } from "zod";
import { API_GROUP_VERSION, attributeName, conditionSchema, metadataSchema, statusConditionSchema } from "./common.ts";

export const segmentSpecSchema = z
  .object({
    description: z.string().max(4096).optional(),
    included: z.array(z.string().max(1024)).max(10000).optional().describe("Keys always in the segment."),
    excluded: z
      .array(z.string().max(1024))
      .max(10000)
      .optional()
      .describe("Keys never in the segment; exclusion beats inclusion and conditions."),
    key: attributeName.optional().describe("Attribute compared with included/excluded (default targetingKey)."),
    match: z.enum(["all", "any"]).default("all").describe("all: every condition must hold; any: one is enough."),
    conditions: z.array(conditionSchema).max(100).optional(),
  })
  .strict();
export type SegmentSpec = z.infer<typeof segmentSpecSchema>;
export type SegmentSpecInput = z.input<typeof segmentSpecSchema>;

export const segmentSchema = z
  .object({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal("Segment"),
    metadata: metadataSchema,
    spec: segmentSpecSchema,
    status: z
      .object({
        observedGeneration: z.number().int().optional(),
        conditions: z.array(statusConditionSchema).optional(),
      })
      .loose()
      .optional(),
  })
  .describe("A reusable audience.");
export type SegmentResource = z.infer<typeof segmentSchema>;
