// When a flag is stale and why, from its usage and age (core/usage/stale.ts).
import { describe, expect, it } from "vitest";
import { DAY_MS, staleness } from "../../../core/usage/stale.ts";

const NOW = Date.parse("2026-11-29T12:00:00Z");

describe("staleness", () => {
  it("gives a new flag a grace period, then calls it NeverEvaluated", () => {
    const young = { createdAt: NOW - 2 * DAY_MS, variantsLast30d: {} };
    expect(staleness(young, NOW)).toMatchObject({ stale: false, reason: "WithinGracePeriod" });
    expect(staleness({ ...young, createdAt: NOW - 8 * DAY_MS }, NOW)).toEqual({
      stale: true,
      reason: "NeverEvaluated",
      message: "never evaluated in the 8 days since it was created",
    });
    expect(staleness(young, NOW, { graceMs: DAY_MS })).toMatchObject({ stale: true, reason: "NeverEvaluated" });
  });

  it("is NotEvaluated after 30 days without evaluations, or the flag's own staleAfter, or the global setting", () => {
    const facts = { createdAt: NOW - 90 * DAY_MS, lastEvaluatedAt: NOW - 31 * DAY_MS, variantsLast30d: {} };
    expect(staleness(facts, NOW)).toMatchObject({ stale: true, reason: "NotEvaluated" });
    expect(
      staleness({ ...facts, lastEvaluatedAt: NOW - 29 * DAY_MS, variantsLast30d: { on: 1, off: 1 } }, NOW),
    ).toMatchObject({
      stale: false,
      reason: "Evaluated",
    });
    expect(staleness({ ...facts, staleAfter: "60d" }, NOW)).toMatchObject({ stale: false });
    expect(staleness(facts, NOW, { staleAfterMs: 40 * DAY_MS })).toMatchObject({ stale: false });
    expect(staleness({ ...facts, lastEvaluatedAt: NOW - 2 * DAY_MS, staleAfter: "1d" }, NOW)).toMatchObject({
      reason: "NotEvaluated",
      message: "not evaluated for 2 days (stale after 1 day)",
    });
  });

  it("is SingleVariant when one variant was served to everyone for 30 days, not before it was in use 30 days", () => {
    const facts = { firstEvaluatedAt: NOW - 45 * DAY_MS, lastEvaluatedAt: NOW - 1000, variantsLast30d: { on: 5000 } };
    expect(staleness(facts, NOW)).toMatchObject({ stale: true, reason: "SingleVariant" });
    expect(staleness({ ...facts, firstEvaluatedAt: NOW - 10 * DAY_MS }, NOW)).toMatchObject({ stale: false });
    expect(staleness({ ...facts, variantsLast30d: { on: 5000, off: 1 } }, NOW)).toMatchObject({ stale: false });
  });
});
