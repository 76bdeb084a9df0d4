// The exposure recorder remembers recently recorded users so hot users cost nothing, within a
// bound on both how many it remembers and how many characters their keys hold.
import { afterEach, describe, expect, it } from "vitest";
import type { EvaluationResult } from "../../../core/evaluate/result.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";
import { ExposureRecorder } from "../../../evaluator/experiments/exposures.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { EventWriter } from "../../../event-store/writer.ts";

const store = new SqliteEventStore(":memory:");
let writer: EventWriter | undefined;
afterEach(async () => {
  await writer?.close();
});

// only what the recorder reads: the flag's running experiment
const snapshot = {
  namespace: "default",
  flags: { checkout: { experiment: { name: "checkout-test" } } },
} as unknown as Snapshot;
const enrolled: EvaluationResult = {
  key: "checkout",
  value: true,
  variant: "green",
  reason: "SPLIT",
  metadata: { experiment: "checkout-test" },
};

describe("ExposureRecorder", () => {
  it("records a user once while remembered, again once forgotten past the character bound", () => {
    writer = new EventWriter(store, { flushIntervalMs: 60_000 });
    const recorder = new ExposureRecorder(writer, () => undefined, 50_000, 10_000);
    const key = (i: number) => `user-${i}-${"x".repeat(1000)}`;
    recorder.observe(snapshot, "checkout", { targetingKey: key(0) }, enrolled);
    recorder.observe(snapshot, "checkout", { targetingKey: key(0) }, enrolled);
    expect(writer.stats().buffered).toBe(1);
    // 1 KB keys: ten of them fill the 10 000-character bound, so user 0 is forgotten
    for (let i = 1; i <= 10; i++) recorder.observe(snapshot, "checkout", { targetingKey: key(i) }, enrolled);
    expect(writer.stats().buffered).toBe(11);
    recorder.observe(snapshot, "checkout", { targetingKey: key(0) }, enrolled);
    expect(writer.stats().buffered).toBe(12);
    recorder.observe(snapshot, "checkout", { targetingKey: key(10) }, enrolled);
    expect(writer.stats().buffered).toBe(12);
  });
});
