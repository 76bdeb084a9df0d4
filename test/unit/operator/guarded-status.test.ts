// The status of a flag with a guarded rollout, as the pure desiredStatus computes it.
import { describe, expect, it } from "vitest";
import type { GuardrailsStatus } from "../../../core/schema/guardrails.ts";
import { desiredStatus, statusMatches, type EnvironmentOutcome } from "../../../operator/status/desired.ts";

const now = new Date("2026-12-01T10:00:00.000Z");
const record = (phase: GuardrailsStatus["phase"], message: string): GuardrailsStatus => ({
  phase,
  rollout: "abc123abc123",
  approvedStep: 0,
  message,
});
const outcome = (rollout: EnvironmentOutcome["rollout"]): EnvironmentOutcome => ({
  generation: 4,
  problems: [],
  served: true,
  snapshotVersion: "0123456789abcdef",
  configMap: "vexil-snapshot-production",
  ...(rollout ? { rollout } : {}),
});
const statusOf = (production: EnvironmentOutcome) =>
  desiredStatus("FeatureFlag", 4, ["production"], new Map([["production", production]]), undefined, now);

describe("guarded rollout status", () => {
  it("is Ready=False, Stalled and RolledBack after a rollback, saying what happened and what to do", () => {
    const rolledBack = record("RolledBack", "guardrail checkout_error regressed at step 1 (25%): …; to resume, …");
    const status = statusOf(outcome({ percentage: 0, step: 1, guard: { record: rolledBack } }));
    const message = `production: ${rolledBack.message}`;
    expect(status.conditions.map(({ type, status: s, reason, message: m }) => [type, s, reason, m])).toEqual([
      ["Ready", "False", "RolledBack", message],
      ["Stalled", "True", "RolledBack", message],
      ["RolledBack", "True", "GuardrailRegressed", message],
    ]);
    expect(status.environments?.production).toMatchObject({ rolloutPercentage: 0, guardrails: rolledBack });
  });

  it("is Ready with reason Guarded while a due promotion waits for the guardrails", () => {
    const collecting = record(
      "Collecting",
      "checkout_error has 12 users inside and 80 outside the rollout at step 0; 50 each are needed before promotion",
    );
    const status = statusOf(
      outcome({ percentage: 5, step: 0, guard: { record: collecting, held: { step: 1, percentage: 25 } } }),
    );
    expect(status.conditions).toHaveLength(1);
    expect(status.conditions[0]).toMatchObject({
      type: "Ready",
      status: "True",
      reason: "Guarded",
      message: `generation 4 served; production at 5%, promotion to 25% (step 1) waits for the guardrails: ${collecting.message}`,
    });
  });

  it("is RolloutProgressing when the guardrails are healthy and the next step is scheduled", () => {
    const healthy = record("Healthy", "no guardrail regressed at step 0 (5%)");
    const status = statusOf(
      outcome({ percentage: 5, step: 0, nextStepAt: "2026-12-01T11:00:00.000Z", guard: { record: healthy } }),
    );
    expect(status.conditions[0]).toMatchObject({ type: "Ready", status: "True", reason: "RolloutProgressing" });
    expect(status.environments?.production?.guardrails).toEqual(healthy);
  });

  it("needs a write when the live status still says RolledBack after a resume", () => {
    const live = {
      observedGeneration: 4,
      environments: {
        production: {
          snapshotVersion: "0123456789abcdef",
          configMap: "vexil-snapshot-production",
          rolloutPercentage: 5,
          rolloutStep: 0,
        },
      },
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Reconciled",
          message: "generation 4 served in production",
          observedGeneration: 4,
        },
        { type: "RolledBack", status: "True", reason: "GuardrailRegressed", message: "old", observedGeneration: 4 },
      ],
    };
    const status = statusOf(outcome({ percentage: 5, step: 0 }));
    expect(statusMatches(live, status)).toBe(false);
    expect(statusMatches({ ...live, conditions: live.conditions.slice(0, 1) }, status)).toBe(true);
  });
});
