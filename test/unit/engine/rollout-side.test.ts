// Which side of a guarded rollout a user landed on is read from the evaluation result; this
// checks it against the definition (bucket below percentage × 1000, for users no target, rule or
// experiment answered first) for a thousand users of a flag that has all of those.
import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { rolloutSide } from "../../../core/evaluate/rollout-side.ts";
import { bucket } from "../../../core/hashing/bucket.ts";
import { experiment, flag } from "../compile/helpers.ts";

const resources = [
  flag("checkout", {
    targets: [{ variant: "on", values: ["pinned-1", "pinned-2"] }],
    rules: [
      { conditions: [{ attribute: "plan", operator: "equals", values: ["beta"] }], serve: { variant: "on" } },
      {
        name: "staff",
        conditions: [{ attribute: "staff", operator: "equals", values: ["yes"] }],
        serve: {
          split: [
            { variant: "on", weight: 1 },
            { variant: "off", weight: 1 },
          ],
        },
      },
    ],
    rollout: {
      strategy: "canary",
      percentage: 30,
      start: "2026-12-01T00:00:00Z",
      guardrails: { metrics: [{ event: "checkout_error", goal: "decrease" }] },
    },
  }),
  experiment("checkout-test", { flag: "checkout", traffic: 10, start: "2026-12-01T00:00:00Z" }),
];
const snapshot = compile(resources, {
  namespace: "shop",
  environment: "production",
  now: new Date("2026-12-01T12:00:00Z"),
  guards: () => undefined,
}).snapshot;
const compiled = snapshot.flags.checkout!;

describe("rolloutSide", () => {
  it("says inside or outside exactly for the users the rollout decided, and nothing for the others", () => {
    const seen = { inside: 0, outside: 0, other: 0 };
    for (let i = 0; i < 1000; i++) {
      const context = {
        targetingKey: i < 2 ? `pinned-${i + 1}` : `user-${i}`,
        ...(i % 7 === 0 ? { plan: "beta" } : {}),
        ...(i % 11 === 0 ? { staff: "yes" } : {}),
      };
      const result = evaluate(snapshot, "checkout", context);
      const decidedEarlier = i < 2 || i % 7 === 0 || i % 11 === 0 || result.metadata?.experiment === "checkout-test";
      const expected = decidedEarlier
        ? undefined
        : bucket("checkout", context.targetingKey) < 30 * 1000
          ? "inside"
          : "outside";
      expect(rolloutSide(compiled, result), context.targetingKey).toBe(expected);
      seen[expected ?? "other"]++;
    }
    // every kind of answer was met
    expect(Math.min(seen.inside, seen.outside, seen.other)).toBeGreaterThan(50);
  });

  it("says nothing for errors and for flags without a percentage rollout", () => {
    const missingKey = evaluate(snapshot, "checkout", {});
    expect(rolloutSide(compiled, missingKey)).toBeUndefined();
    const plain = compile([flag("plain")], { namespace: "shop", environment: "production" }).snapshot;
    expect(rolloutSide(plain.flags.plain!, evaluate(plain, "plain", { targetingKey: "u" }))).toBeUndefined();
  });
});
