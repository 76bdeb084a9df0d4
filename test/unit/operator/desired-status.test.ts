import { describe, expect, it } from "vitest";
import { desiredStatus, statusMatches, type EnvironmentOutcome } from "../../../operator/status/desired.ts";
import { Reason } from "../../../operator/status/reasons.ts";

const now = new Date("2026-11-24T10:00:00.000Z");
const served = (generation: number, extra: Partial<EnvironmentOutcome> = {}): EnvironmentOutcome => ({
  generation,
  problems: [],
  served: true,
  snapshotVersion: "abcdef0123456789",
  configMap: "vexil-snapshot-production",
  ...extra,
});

describe("desiredStatus", () => {
  it("is Ready/Reconciled with per-environment versions once every environment serves the generation", () => {
    const status = desiredStatus(
      "FeatureFlag",
      3,
      ["production", "staging"],
      new Map([
        ["production", served(3)],
        ["staging", served(3)],
      ]),
      undefined,
      now,
    );
    expect(status.observedGeneration).toBe(3);
    expect(status.conditions).toEqual([
      {
        type: "Ready",
        status: "True",
        reason: Reason.Reconciled,
        message: "generation 3 served in production, staging",
        lastTransitionTime: "2026-11-24T10:00:00Z",
        observedGeneration: 3,
      },
    ]);
    expect(status.environments?.production).toEqual({
      snapshotVersion: "abcdef0123456789",
      configMap: "vexil-snapshot-production",
    });
  });

  it("is Reconciling while an environment has not compiled the current generation", () => {
    const status = desiredStatus(
      "FeatureFlag",
      4,
      ["production", "staging"],
      new Map([
        ["production", served(4)],
        ["staging", served(3)],
      ]),
      undefined,
      now,
    );
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["Ready", "Unknown", Reason.Progressing],
      ["Reconciling", "True", Reason.Progressing],
    ]);
    expect(status.conditions[0]?.message).toBe("compiling generation 4 for staging");
  });

  it("is Stalled with the problem, grouped across environments, and says what is still served", () => {
    const problem = {
      reason: Reason.UnknownSegment,
      message: 'spec.rules[0].segments[0]: segment "ghost" does not exist',
    };
    const outcome = served(5, { problems: [problem], servingGeneration: 4 });
    const status = desiredStatus(
      "FeatureFlag",
      5,
      ["production", "staging"],
      new Map([
        ["production", outcome],
        ["staging", outcome],
      ]),
      undefined,
      now,
    );
    const stalled = status.conditions.find((c) => c.type === "Stalled");
    expect(stalled?.status).toBe("True");
    expect(stalled?.reason).toBe("UnknownSegment");
    expect(stalled?.message).toBe(
      'production, staging: spec.rules[0].segments[0]: segment "ghost" does not exist (still serving generation 4); fix the FeatureFlag and re-apply',
    );
    expect(status.conditions.find((c) => c.type === "Ready")?.status).toBe("False");
  });

  it("reports a failed snapshot write as Reconciling, not Stalled (the operator retries)", () => {
    const status = desiredStatus(
      "Segment",
      1,
      ["production"],
      new Map([["production", served(1, { writeError: "500: etcd timeout" })]]),
      undefined,
      now,
    );
    expect(status.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      "Ready=False/SnapshotWriteFailed",
      "Reconciling=True/SnapshotWriteFailed",
    ]);
    expect(status.environments).toBeUndefined();
  });

  it("shows a time-based rollout in progress as Ready with its next step", () => {
    const rollout = { percentage: 30, step: 3, nextStepAt: "2026-11-24T11:00:00.000Z" };
    const status = desiredStatus(
      "FeatureFlag",
      1,
      ["production"],
      new Map([["production", served(1, { rollout })]]),
      undefined,
      now,
    );
    expect(status.conditions[0]).toMatchObject({ status: "True", reason: Reason.RolloutProgressing });
    expect(status.conditions[0]?.message).toContain("production at 30%, next step 2026-11-24T11:00:00.000Z");
    expect(status.environments?.production).toMatchObject({
      rolloutPercentage: 30,
      rolloutStep: 3,
      nextStepAt: rollout.nextStepAt,
    });
  });

  it("keeps lastTransitionTime while a condition keeps its status", () => {
    const previous = [
      {
        type: "Ready" as const,
        status: "True" as const,
        reason: "Reconciled",
        message: "old",
        lastTransitionTime: "2026-01-01T00:00:00Z",
      },
    ];
    const status = desiredStatus("FeatureFlag", 2, ["production"], new Map([["production", served(2)]]), previous, now);
    expect(status.conditions[0]?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
  });
});

describe("statusMatches", () => {
  const desired = desiredStatus("FeatureFlag", 2, ["production"], new Map([["production", served(2)]]), undefined, now);

  it("matches a live status that says the same, whatever its transition times", () => {
    const live = JSON.parse(JSON.stringify(desired)) as Record<string, unknown>;
    (live.conditions as { lastTransitionTime: string }[])[0]!.lastTransitionTime = "2020-01-01T00:00:00Z";
    expect(statusMatches(live, desired)).toBe(true);
  });

  it("does not match a missing status, an older generation or a different message", () => {
    expect(statusMatches(undefined, desired)).toBe(false);
    expect(statusMatches({ ...desired, observedGeneration: 1 } as unknown as Record<string, unknown>, desired)).toBe(
      false,
    );
    const changed = JSON.parse(JSON.stringify(desired)) as { conditions: { message: string }[] };
    changed.conditions[0]!.message = "different";
    expect(statusMatches(changed as unknown as Record<string, unknown>, desired)).toBe(false);
  });
});
