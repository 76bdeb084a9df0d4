import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { at, flag, segment } from "./helpers.ts";

const base = { namespace: "shop", environment: "production" };
const compileAt = (resources: ReturnType<typeof flag>[], now: string) => compile(resources, { ...base, now: at(now) });

describe("gradual rollout", () => {
  // 10% → 50% over 4 hours in 4 steps: 10, 20, 30, 40, 50, one step an hour from 09:00
  const gradual = (extra: Record<string, unknown> = {}) =>
    flag("g", {
      rollout: {
        strategy: "gradual",
        from: 10,
        to: 50,
        start: "2026-12-01T09:00:00Z",
        duration: "4h",
        steps: 4,
        ...extra,
      },
    });

  it.each([
    ["2026-12-01T08:00:00Z", 10, 0, "2026-12-01T10:00:00.000Z"],
    ["2026-12-01T09:00:00Z", 10, 0, "2026-12-01T10:00:00.000Z"],
    ["2026-12-01T09:59:59Z", 10, 0, "2026-12-01T10:00:00.000Z"],
    ["2026-12-01T10:00:00Z", 20, 1, "2026-12-01T11:00:00.000Z"],
    ["2026-12-01T12:30:00Z", 40, 3, "2026-12-01T13:00:00.000Z"],
    ["2026-12-01T13:00:00Z", 50, 4, undefined],
    ["2027-06-01T00:00:00Z", 50, 4, undefined],
  ])("at %s serves %d%% (step %d), next change %s", (now, percentage, step, next) => {
    const out = compileAt([gradual()], now);
    expect(out.snapshot.flags.g?.rollout).toMatchObject({ kind: "percentage", strategy: "gradual", percentage, step });
    expect(out.rollouts.g).toEqual({ strategy: "gradual", percentage, step, ...(next ? { nextStepAt: next } : {}) });
    expect(out.snapshot.nextChangeAt).toBe(next);
  });

  it("takes 10 equal steps by default and keeps percentages on the 1/1000 grid", () => {
    const out = compileAt(
      [
        flag("g", {
          rollout: { strategy: "gradual", from: 0, to: 100, start: "2026-12-01T00:00:00Z", duration: "3h", steps: 3 },
        }),
      ],
      "2026-12-01T01:00:00Z",
    );
    expect(out.rollouts.g?.percentage).toBe(33.333);
    const ten = compileAt(
      [
        flag("g", {
          rollout: { strategy: "gradual", from: 0, to: 100, start: "2026-12-01T00:00:00Z", duration: "10h" },
        }),
      ],
      "2026-12-01T03:30:00Z",
    );
    expect(ten.rollouts.g).toEqual({
      strategy: "gradual",
      percentage: 30,
      step: 3,
      nextStepAt: "2026-12-01T04:00:00.000Z",
    });
  });

  it("freezes at pausedAt: the percentage then, and no next change", () => {
    const out = compileAt([gradual({ pausedAt: "2026-12-01T10:30:00Z" })], "2026-12-01T12:30:00Z");
    expect(out.rollouts.g).toEqual({ strategy: "gradual", percentage: 20, step: 1 });
    expect(out.snapshot.nextChangeAt).toBeUndefined();
  });

  it("keeps advancing until a pause that is still in the future", () => {
    const out = compileAt([gradual({ pausedAt: "2026-12-01T11:30:00Z" })], "2026-12-01T10:15:00Z");
    expect(out.rollouts.g).toEqual({
      strategy: "gradual",
      percentage: 20,
      step: 1,
      nextStepAt: "2026-12-01T11:00:00.000Z",
    });
    const later = compileAt([gradual({ pausedAt: "2026-12-01T11:30:00Z" })], "2026-12-01T11:15:00Z");
    expect(later.rollouts.g).toEqual({ strategy: "gradual", percentage: 30, step: 2 });
  });

  it("does not put the schedule in the hash: the same percentage hashes the same at any time", () => {
    const early = compileAt([gradual()], "2026-12-01T10:00:00Z").snapshot;
    const later = compileAt([gradual()], "2026-12-01T10:30:00Z").snapshot;
    expect(early.hash).toBe(later.hash);
    expect(compileAt([gradual()], "2026-12-01T11:00:00Z").snapshot.hash).not.toBe(early.hash);
  });

  it("reports the earliest change among several flags", () => {
    const other = flag("h", {
      rollout: { strategy: "gradual", from: 0, to: 10, start: "2026-12-01T09:20:00Z", duration: "10m", steps: 1 },
    });
    expect(compileAt([gradual(), other], "2026-12-01T09:05:00Z").snapshot.nextChangeAt).toBe(
      "2026-12-01T09:30:00.000Z",
    );
  });
});

describe("canary rollout", () => {
  const canary = (extra: Record<string, unknown> = {}) =>
    flag("c", {
      rollout: {
        strategy: "canary",
        percentage: 1,
        start: "2026-12-01T09:00:00Z",
        promote: [
          { after: "30m", percentage: 10 },
          { after: "2h", percentage: 100 },
        ],
        ...extra,
      },
    });

  it.each([
    ["2026-12-01T08:00:00Z", { strategy: "canary", percentage: 0, nextStepAt: "2026-12-01T09:00:00.000Z" }],
    ["2026-12-01T09:00:00Z", { strategy: "canary", percentage: 1, step: 0, nextStepAt: "2026-12-01T09:30:00.000Z" }],
    ["2026-12-01T09:45:00Z", { strategy: "canary", percentage: 10, step: 1, nextStepAt: "2026-12-01T11:00:00.000Z" }],
    ["2026-12-01T11:00:00Z", { strategy: "canary", percentage: 100, step: 2 }],
  ])("at %s is promoted to %j", (now, expected) => {
    const out = compileAt([canary()], now);
    expect(out.rollouts.c).toEqual(expected);
    expect(out.snapshot.flags.c?.rollout).toMatchObject({
      kind: "percentage",
      strategy: "canary",
      percentage: expected.percentage,
    });
  });

  it("stays at its current step when paused", () => {
    expect(compileAt([canary({ pausedAt: "2026-12-01T09:40:00Z" })], "2026-12-02T00:00:00Z").rollouts.c).toEqual({
      strategy: "canary",
      percentage: 10,
      step: 1,
    });
  });
});

describe("ring and targeted rollouts", () => {
  const staff = segment("staff", { included: ["alice"] });
  const beta = segment("beta", { included: ["bob"] });
  const ring = (currentRing: string) =>
    flag("r", {
      rollout: {
        strategy: "ring",
        rings: [
          { name: "internal", segments: ["staff"] },
          { name: "canary-region", attribute: "region", values: ["eu-west-1"] },
          { name: "beta", segments: ["beta"], values: ["carol"] },
        ],
        currentRing,
      },
    });

  it("includes rings up to the current one as matchers", () => {
    const rollout = compileAt([staff, beta, ring("canary-region")], "2026-12-01T00:00:00Z").snapshot.flags.r?.rollout;
    expect(rollout).toMatchObject({
      kind: "audience",
      strategy: "ring",
      variant: "on",
      salt: "r",
      bucketBy: "targetingKey",
    });
    expect(rollout?.kind === "audience" && rollout.matchers).toEqual([
      {
        segments: [
          { name: "staff", key: "targetingKey", included: ["alice"], excluded: [], match: "all", conditions: [] },
        ],
        conditions: [],
      },
      { segments: [], conditions: [{ attribute: "region", operator: "in", values: ["eu-west-1"] }] },
    ]);
  });

  it("lets a ring with segments and values admit either", () => {
    const rollout = compileAt([staff, beta, ring("beta")], "2026-12-01T00:00:00Z").snapshot.flags.r?.rollout;
    const matchers = rollout?.kind === "audience" ? rollout.matchers : [];
    expect(matchers).toHaveLength(4);
    expect(matchers[3]).toEqual({
      segments: [],
      conditions: [{ attribute: "targetingKey", operator: "in", values: ["carol"] }],
    });
  });

  it("compiles a targeted rollout to one matcher per segment and leaves it out of rollouts status", () => {
    const out = compileAt(
      [staff, beta, flag("t", { rollout: { strategy: "targeted", segments: ["staff", "beta"] } })],
      "2026-12-01T00:00:00Z",
    );
    const rollout = out.snapshot.flags.t?.rollout;
    expect(rollout?.kind === "audience" && rollout.matchers.map((m) => m.segments.map((s) => s.name))).toEqual([
      ["staff"],
      ["beta"],
    ]);
    expect(out.rollouts).toEqual({});
  });
});
