// Guardrails of a canary or gradual rollout: metrics of the experiments pipeline that must not
// get worse for the users inside the rollout than for the users outside it. The operator checks
// them every interval with the always-valid (sequential) statistics, holds promotion until they
// are healthy, and rolls the rollout back on a significant regression (docs/experiments.md).
import { z } from "zod";
import { duration, timestamp } from "./common.ts";

/** Users each side of the rollout needs before a guardrail decides anything, unless stated. */
export const DEFAULT_GUARDRAIL_MINIMUM_SAMPLES = 100;
/** How often the operator checks the guardrails, unless stated. */
export const DEFAULT_GUARDRAIL_INTERVAL = "1m";

export const guardrailMetricSchema = z
  .object({
    event: z.string().min(1).max(253).describe("Event name sent to POST /v1/events (as for experiment metrics)."),
    type: z
      .enum(["conversion", "numeric"])
      .optional()
      .describe("conversion: share of users with the event (default); numeric: mean of the users' summed values."),
    goal: z
      .enum(["increase", "decrease"])
      .describe("Which way is better: decrease for errors and latency, increase for purchases."),
    maxRegression: z
      .number()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        "Regression tolerated, in percent of the outside users' value (10: inside may be 10% worse). Default 0.",
      ),
    minimumSamples: z
      .number()
      .int()
      .min(2)
      .max(1_000_000_000)
      .optional()
      .describe("Users needed on each side before this metric decides; default guardrails.minimumSamples."),
  })
  .strict()
  .describe("One guardrail metric.");
export type GuardrailMetricSpec = z.infer<typeof guardrailMetricSchema>;

export const guardrailsSchema = z
  .object({
    metrics: z.array(guardrailMetricSchema).min(1).max(10).describe("Metrics that must not regress."),
    interval: duration
      .optional()
      .describe(`How often the operator checks the guardrails (default ${DEFAULT_GUARDRAIL_INTERVAL}).`),
    minimumSamples: z
      .number()
      .int()
      .min(2)
      .max(1_000_000_000)
      .optional()
      .describe(
        `Users needed inside and outside the rollout before a step is judged (default ${DEFAULT_GUARDRAIL_MINIMUM_SAMPLES}).`,
      ),
  })
  .strict()
  .describe(
    "canary and gradual: metrics compared between users inside and outside the rollout. A significant " +
      "regression rolls the rollout back; promotion waits until every metric is healthy.",
  );
export type GuardrailsSpec = z.infer<typeof guardrailsSchema>;

export const GUARD_PHASES = ["Collecting", "Healthy", "RolledBack"] as const;
export type GuardPhase = (typeof GUARD_PHASES)[number];

const sideSchema = z.object({
  users: z.number().int().min(0).describe("Unique users exposed on this side at the current step."),
  value: z.number().describe("Share of users with the event (conversion) or mean value per user (numeric)."),
});

export const guardrailCheckStatusSchema = z
  .object({
    event: z.string().describe("The guardrail metric's event."),
    inside: sideSchema.describe("Users inside the rollout at the current step."),
    outside: sideSchema.describe("Users outside the rollout at the current step."),
    change: z.number().optional().describe("Relative change inside vs outside (0.1 = +10%), when defined."),
    regressed: z.boolean().describe("Worse inside than tolerated, significantly (always-valid 95% interval)."),
  })
  .describe("One guardrail metric as last checked.");

/** What status.environments.<env>.guardrails says: the operator's record, read back after a restart. */
export const guardrailsStatusSchema = z
  .object({
    phase: z.enum(GUARD_PHASES).describe(GUARD_PHASES.join(" | ")),
    rollout: z.string().describe("Fingerprint of the rollout spec the record is for; a spec change starts afresh."),
    approvedStep: z.number().int().min(0).describe("Highest step the guardrails allow."),
    message: z.string().describe("What the guardrails found, and what to do."),
    rolledBackAt: timestamp.optional().describe("When a regression rolled the rollout back."),
    rolledBackStep: z.number().int().optional().describe("The step the rollout was rolled back at."),
    metrics: z.array(guardrailCheckStatusSchema).optional().describe("Each guardrail metric as last checked."),
  })
  .describe("Guardrails of this environment's rollout, as last checked.");
export type GuardrailsStatus = z.infer<typeof guardrailsStatusSchema>;
