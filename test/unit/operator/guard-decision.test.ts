// The guardrail decision is a pure function of the previous record, the compiled rollout and the
// verdict on the current step: each branch here is one rule of docs/experiments.md.
import { describe, expect, it } from "vitest";
import type { GuardedRollout } from "../../../core/compile/guard.ts";
import type { GuardrailsSpec, GuardrailsStatus } from "../../../core/schema/guardrails.ts";
import { checkGuardrail, guardVerdict, INSIDE, OUTSIDE } from "../../../core/statistics/guardrails.ts";
import { decideGuard, type GuardInput } from "../../../operator/guardrails/decide.ts";

const now = new Date("2026-12-01T10:00:00.000Z");
const guardrails: GuardrailsSpec = {
  metrics: [{ event: "checkout_error", goal: "decrease", maxRegression: 10 }],
  minimumSamples: 50,
};
const guarded = (step: number, extra: Partial<GuardedRollout> = {}): GuardedRollout => ({
  rollout: "abc123abc123",
  guardrails,
  exposureKey: `rollout/checkout/production/abc123abc123/${step}`,
  scheduledStep: step,
  step,
  rolledBack: false,
  ...extra,
});
const verdict = (inside: [number, number], outside: [number, number]) =>
  guardVerdict([
    checkGuardrail(
      guardrails.metrics[0]!,
      [
        { variant: INSIDE, exposures: inside[0], conversions: inside[1], sum: inside[1], sumOfSquares: inside[1] },
        { variant: OUTSIDE, exposures: outside[0], conversions: outside[1], sum: outside[1], sumOfSquares: outside[1] },
      ],
      guardrails.minimumSamples,
    ),
  ]);
const input = (step: number, v: GuardInput["verdict"], percentage = 5): GuardInput => ({
  guarded: guarded(step),
  guardrails,
  percentage,
  verdict: v,
});

describe("decideGuard", () => {
  it("rolls back on a regression, once, with what happened and how to resume", () => {
    const decision = decideGuard(undefined, input(1, verdict([100, 30], [400, 8]), 25), now);
    expect(decision.rolledBackNow).toBe(true);
    expect(decision.record).toMatchObject({
      phase: "RolledBack",
      rollout: "abc123abc123",
      rolledBackAt: "2026-12-01T10:00:00Z",
      rolledBackStep: 1,
    });
    expect(decision.record.message).toBe(
      "guardrail checkout_error regressed at step 1 (25%): 30.0% inside vs 2.0% outside (+1400.0%), worse than the 10% " +
        "tolerated (always-valid 95% test, 100/400 users); the rollout serves the off variant to everyone; to resume, " +
        "fix the cause, then change spec.rollout (a new start restarts the schedule) or remove spec.rollout.guardrails",
    );
    expect(decision.record.metrics?.[0]).toMatchObject({ event: "checkout_error", regressed: true, change: 14 });
  });

  it("keeps a rollback whatever later data says, until the rollout changes", () => {
    const rolledBack = decideGuard(undefined, input(1, verdict([100, 30], [400, 8])), now).record;
    const later = decideGuard(rolledBack, input(1, verdict([1000, 1], [1000, 1])), now);
    expect(later).toEqual({ record: rolledBack, rolledBackNow: false });
    const changed = decideGuard(
      rolledBack,
      { ...input(0, verdict([10, 0], [40, 0])), guarded: guarded(0, { rollout: "fff" }) },
      now,
    );
    expect(changed.record).toMatchObject({ phase: "Collecting", rollout: "fff", approvedStep: 0 });
  });

  it("approves the next step when every metric is healthy, and never takes an approval back", () => {
    const healthy = decideGuard(undefined, input(0, verdict([100, 2], [400, 8])), now);
    expect(healthy.record).toMatchObject({ phase: "Healthy", approvedStep: 1 });
    expect(healthy.record.message).toMatch(
      /^no guardrail regressed at step 0 \(5%\): checkout_error 0\.0200 inside vs 0\.0200 outside \(\+0\.0%\)$/,
    );
    const collecting = decideGuard(healthy.record, input(0, verdict([10, 0], [10, 0])), now);
    expect(collecting.record).toMatchObject({ phase: "Collecting", approvedStep: 1 });
  });

  it("holds while a side lacks its minimum users, saying how many there are", () => {
    const decision = decideGuard(undefined, input(0, verdict([12, 0], [80, 1])), now);
    expect(decision.record).toMatchObject({ phase: "Collecting", approvedStep: 0 });
    expect(decision.record.message).toBe(
      "checkout_error has 12 users inside and 80 outside the rollout at step 0; 50 each are needed before promotion",
    );
  });

  it("holds when the store cannot be read, keeping the last numbers", () => {
    const healthy = decideGuard(undefined, input(0, verdict([100, 2], [400, 8])), now).record;
    const decision = decideGuard(
      healthy,
      { ...input(1, undefined), unavailable: "the event store could not be read (ECONNREFUSED)" },
      now,
    );
    expect(decision.record).toMatchObject({ phase: "Collecting", approvedStep: 1, metrics: healthy.metrics });
    expect(decision.record.message).toBe(
      "guardrails not checked: the event store could not be read (ECONNREFUSED); promotion waits",
    );
  });

  it("does not hold steps where one side is empty (0 % or 100 %)", () => {
    const empty: GuardrailsStatus = decideGuard(undefined, input(0, undefined, 0), now).record;
    expect(empty).toMatchObject({ phase: "Healthy", approvedStep: 1 });
    expect(decideGuard(undefined, input(2, undefined, 100), now).record).toMatchObject({ approvedStep: 3 });
  });
});
