import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { rolloutFingerprint, type GuardDirective } from "../../../core/compile/guard.ts";
import { stepPercentage } from "../../../core/compile/schedule.ts";
import type { FeatureFlag } from "../../../core/schema/index.ts";
import { checkResources } from "../../../core/validate/index.ts";
import { at, flag } from "./helpers.ts";

const base = { namespace: "shop", environment: "production" };
const guardrails = { metrics: [{ event: "checkout_error", goal: "decrease", maxRegression: 10 }] };
// 5 % from 09:00, 25 % after 1 h, 100 % after 2 h
const canaryRollout = {
  strategy: "canary",
  percentage: 5,
  start: "2026-12-01T09:00:00Z",
  promote: [
    { after: "1h", percentage: 25 },
    { after: "2h", percentage: 100 },
  ],
  guardrails,
};
const guarded = () => flag("checkout", { rollout: canaryRollout });
const fingerprint = () => rolloutFingerprint((guarded() as FeatureFlag).spec.rollout!);
const directive = (approvedStep: number, rolledBack = false): GuardDirective => ({
  rollout: fingerprint(),
  approvedStep,
  rolledBack,
});

function compileWith(now: string, found: GuardDirective | undefined) {
  return compile([guarded()], { ...base, now: at(now), guards: () => found });
}

describe("guarded rollouts at compile time", () => {
  it("follows the time schedule alone where nobody enforces guardrails (directory mode)", () => {
    const out = compile([guarded()], { ...base, now: at("2026-12-01T10:30:00Z") });
    expect(out.rollouts.checkout).toMatchObject({ percentage: 25, step: 1 });
    expect(out.rollouts.checkout?.guarded).toBeUndefined();
    expect(out.snapshot.flags.checkout?.rollout).not.toHaveProperty("guard");
  });

  it("holds a due step at the approved one, with no next change (the operator decides it)", () => {
    const out = compileWith("2026-12-01T10:30:00Z", directive(0));
    expect(out.rollouts.checkout).toMatchObject({ percentage: 5, step: 0 });
    expect(out.rollouts.checkout?.nextStepAt).toBeUndefined();
    expect(out.rollouts.checkout?.guarded).toMatchObject({ scheduledStep: 1, step: 0, heldPercentage: 25 });
    expect(out.snapshot.nextChangeAt).toBeUndefined();
  });

  it("serves only the first step when the operator has no record yet", () => {
    const out = compileWith("2026-12-01T11:30:00Z", undefined);
    expect(out.rollouts.checkout).toMatchObject({ percentage: 5, step: 0 });
  });

  it("promotes on schedule once the step is approved, and schedules the next change", () => {
    const early = compileWith("2026-12-01T09:30:00Z", directive(1));
    expect(early.rollouts.checkout).toMatchObject({ percentage: 5, step: 0, nextStepAt: "2026-12-01T10:00:00.000Z" });
    const due = compileWith("2026-12-01T10:00:00Z", directive(1));
    expect(due.rollouts.checkout).toMatchObject({ percentage: 25, step: 1 });
    expect(due.rollouts.checkout?.guarded?.heldPercentage).toBeUndefined();
  });

  it("serves nobody inside after a rollback and stops recording sides", () => {
    const out = compileWith("2026-12-01T10:30:00Z", directive(1, true));
    expect(out.snapshot.flags.checkout?.rollout).toMatchObject({ kind: "percentage", percentage: 0 });
    expect(out.snapshot.flags.checkout?.rollout).not.toHaveProperty("guard");
    expect(out.rollouts.checkout?.guarded?.rolledBack).toBe(true);
    expect(out.snapshot.nextChangeAt).toBeUndefined();
  });

  it("ignores a directive decided for another version of the rollout (a spec change starts afresh)", () => {
    const stale = { ...directive(2, true), rollout: "000000000000" };
    const out = compileWith("2026-12-01T11:30:00Z", stale);
    expect(out.rollouts.checkout).toMatchObject({ percentage: 5, step: 0 });
    expect(out.rollouts.checkout?.guarded?.rolledBack).toBe(false);
  });

  it("marks the compiled rollout with one exposure key per step and fingerprint", () => {
    const step0 = compileWith("2026-12-01T09:30:00Z", directive(0));
    const step1 = compileWith("2026-12-01T10:30:00Z", directive(1));
    const key = (out: typeof step0) => {
      const rollout = out.snapshot.flags.checkout?.rollout;
      return rollout?.kind === "percentage" ? rollout.guard?.exposures : undefined;
    };
    expect(key(step0)).toBe(`rollout/checkout/production/${fingerprint()}/0`);
    expect(key(step1)).toBe(`rollout/checkout/production/${fingerprint()}/1`);
  });

  it("keeps the fingerprint across a pause but not across a new start", () => {
    const spec = (guarded() as FeatureFlag).spec.rollout!;
    expect(rolloutFingerprint({ ...spec, pausedAt: "2026-12-01T09:10:00Z" })).toBe(rolloutFingerprint(spec));
    expect(rolloutFingerprint({ ...spec, start: "2026-12-02T09:00:00Z" })).not.toBe(rolloutFingerprint(spec));
  });

  it("knows each step's percentage for canary and gradual rollouts", () => {
    const spec = (guarded() as FeatureFlag).spec.rollout!;
    expect([0, 1, 2, 3].map((step) => stepPercentage(spec, step))).toEqual([5, 25, 100, 100]);
    const gradual = { strategy: "gradual" as const, from: 10, to: 50, steps: 4 };
    expect([0, 1, 4, 9].map((step) => stepPercentage(gradual, step))).toEqual([10, 20, 50, 50]);
  });
});

describe("guardrails validation", () => {
  const problems = (rollout: Record<string, unknown>) =>
    checkResources([flag("f", { rollout })]).problems.map((p) => `${p.path}: ${p.message}`);

  it("refuses guardrails on strategies without steps", () => {
    expect(problems({ strategy: "percentage", percentage: 10, guardrails })).toEqual([
      "spec.rollout.guardrails: applies only to strategy gradual or canary, not percentage",
    ]);
  });

  it("refuses a metric listed twice and an interval under a second", () => {
    const twice = { metrics: [...guardrails.metrics, ...guardrails.metrics], interval: "500ms" };
    expect(problems({ ...canaryRollout, guardrails: twice })).toEqual([
      'spec.rollout.guardrails.metrics[1].event: event "checkout_error" is listed twice; give each guardrail metric its own event',
      "spec.rollout.guardrails.interval: must be at least 1s (got 500ms)",
    ]);
  });
});
