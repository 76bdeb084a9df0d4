// The examples, compiled and evaluated by the real engine: the behaviour examples/README.md
// describes is what users get.
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { loadManifestPaths, type AnyResource } from "../../../core/manifest/load.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";

let resources: AnyResource[];
const now = new Date("2026-12-03T10:00:00Z");
const snapshot = (environment: string): Snapshot => {
  const out = compile(resources, { namespace: "default", environment, now });
  expect(out.problems).toEqual([]);
  return out.snapshot;
};

beforeAll(async () => {
  resources = (await loadManifestPaths([resolve(import.meta.dirname, "../../../examples")])).resources;
});

describe("examples, evaluated", () => {
  it("serves the legacy search backend while the kill switch is on", () => {
    expect(evaluate(snapshot("production"), "search-backend", { targetingKey: "u1" })).toMatchObject({
      value: "lucene-v1",
      variant: "legacy",
      reason: "DISABLED",
    });
  });

  it("rolls new-checkout out to about 25% in production and everyone in staging, behind payments-v2", () => {
    const production = snapshot("production");
    const staging = snapshot("staging");
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i + 100}`);
    const inside = users.filter((u) => evaluate(production, "new-checkout", { targetingKey: u }).value === true).length;
    expect(inside / users.length).toBeGreaterThan(0.2);
    expect(inside / users.length).toBeLessThan(0.3);
    expect(users.every((u) => evaluate(staging, "new-checkout", { targetingKey: u }).value === true)).toBe(true);
    expect(evaluate(staging, "new-checkout", { targetingKey: "payments-qa-1" })).toMatchObject({
      value: false,
      reason: "PREREQUISITE_FAILED",
    });
  });

  it("offers premium chat only to premium users in supported countries on recent app versions", () => {
    const production = snapshot("production");
    const user = { targetingKey: "u7", plan: "Premium", country: "us", appVersion: "4.3.0" };
    expect(evaluate(production, "premium-support-chat", user)).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(evaluate(production, "premium-support-chat", { ...user, appVersion: "4.1.9" }).value).toBe(false);
    expect(evaluate(production, "premium-support-chat", { ...user, targetingKey: "user-666" }).value).toBe(false);
  });

  it("serves the new dashboard to staff and beta testers but not yet to everyone", () => {
    const production = snapshot("production");
    expect(evaluate(production, "new-dashboard", { targetingKey: "u7", email: "Bob@Example.com" }).value).toBe(true);
    expect(evaluate(production, "new-dashboard", { targetingKey: "user-1002" }).value).toBe(true);
    expect(evaluate(production, "new-dashboard", { targetingKey: "u7" }).value).toBe(false);
  });

  it("runs the button colour experiment in production only", () => {
    expect(snapshot("production").flags["checkout-button-color"]?.experiment?.name).toBe("button-color-test");
    expect(snapshot("staging").flags["checkout-button-color"]?.experiment).toBeUndefined();
    const colours = new Set(
      Array.from(
        { length: 200 },
        (_, i) => evaluate(snapshot("staging"), "checkout-button-color", { targetingKey: `u${i}` }).value,
      ),
    );
    expect(colours).toEqual(new Set(["#1f6feb", "#2da44e"]));
  });

  it("resolves the gradual rollout to the step in force and schedules the next", () => {
    const out = compile(resources, { namespace: "default", environment: "production", now });
    expect(out.rollouts["recommendations-v2"]).toEqual({
      strategy: "gradual",
      percentage: 24,
      step: 2,
      nextStepAt: "2026-12-04T09:00:00.000Z",
    });
    expect(out.snapshot.nextChangeAt).toBe("2026-12-04T09:00:00.000Z");
  });

  it("serves number and json values by rule and target", () => {
    const production = snapshot("production");
    expect(evaluate(production, "api-rate-limit", { targetingKey: "partner-acme" }).value).toBe(6000);
    expect(evaluate(production, "api-rate-limit", { targetingKey: "x", seats: 80 }).value).toBe(600);
    expect(evaluate(production, "api-rate-limit", { targetingKey: "x", plan: "enterprise" }).value).toBe(600);
    expect(evaluate(production, "api-rate-limit", { targetingKey: "x" }).value).toBe(60);
    expect(
      evaluate(production, "search-ranking-config", { targetingKey: "x", tier: "enterprise" }).value,
    ).toMatchObject({ recencyWeight: 0.5 });
  });
});
