// The evaluator's exposure recorder on a guarded rollout: every evaluation the rollout decided is
// one exposure per user with the side as variant, under the step's key; answers from targets and
// rules are not exposures; a rolled back rollout records nothing. A real SQLite store reads back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import type { GuardDirective } from "../../../core/compile/guard.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { bucket } from "../../../core/hashing/bucket.ts";
import { ExposureRecorder } from "../../../evaluator/experiments/exposures.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { EventWriter } from "../../../event-store/writer.ts";
import { flag } from "../compile/helpers.ts";

const dir = mkdtempSync(path.join(tmpdir(), "vexil-rollout-exposures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checkout = flag("checkout", {
  targets: [{ variant: "on", values: ["pinned"] }],
  rules: [{ conditions: [{ attribute: "plan", operator: "equals", values: ["beta"] }], serve: { variant: "on" } }],
  rollout: {
    strategy: "canary",
    percentage: 25,
    start: "2026-12-01T00:00:00Z",
    guardrails: { metrics: [{ event: "checkout_error", goal: "decrease" }] },
  },
});
const snapshotWith = (directive: GuardDirective | undefined) =>
  compile([checkout], {
    namespace: "shop",
    environment: "production",
    now: new Date("2026-12-01T01:00:00Z"),
    guards: () => directive,
  }).snapshot;

async function record(directive: GuardDirective | undefined, contexts: Record<string, string>[]) {
  const store = new SqliteEventStore(path.join(dir, `${Math.random().toString(36).slice(2)}.db`));
  const writer = new EventWriter(store, { flushIntervalMs: 10 });
  const counted: string[] = [];
  const recorder = new ExposureRecorder(writer, (experiment) => counted.push(experiment));
  const snapshot = snapshotWith(directive);
  for (const context of [...contexts, ...contexts]) {
    recorder.observe(snapshot, "checkout", context, evaluate(snapshot, "checkout", context));
  }
  await writer.close();
  const rollout = snapshot.flags.checkout?.rollout;
  const key = rollout?.kind === "percentage" ? rollout.guard?.exposures : undefined;
  const users = await store.flagVariantUsers("shop", "checkout");
  await store.close();
  return { key, users, counted };
}

describe("rollout exposures", () => {
  it("records each user's side once under the step's key, and nothing for targets and rules", async () => {
    const contexts = Array.from({ length: 400 }, (_, i) => ({ targetingKey: `user-${i}` }));
    const { key, users, counted } = await record(undefined, [
      ...contexts,
      { targetingKey: "pinned" },
      { targetingKey: "beta-user", plan: "beta" },
    ]);
    const inside = contexts.filter((c) => bucket("checkout", c.targetingKey) < 25_000).length;
    expect(key).toMatch(/^rollout\/checkout\/production\/[0-9a-f]{12}\/0$/);
    expect(users).toEqual({ [key!]: { inside, outside: 400 - inside } });
    expect(counted).toEqual([]); // experiment exposure metrics stay per experiment
  });

  it("records nothing once the rollout is rolled back", async () => {
    const fingerprint = (await record(undefined, [])).key!.split("/")[3]!;
    const { key, users } = await record({ rollout: fingerprint, approvedStep: 0, rolledBack: true }, [
      { targetingKey: "user-1" },
    ]);
    expect(key).toBeUndefined();
    expect(users).toEqual({});
  });
});
