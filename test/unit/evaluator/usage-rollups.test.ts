// Flag usage rollups from a real evaluator over HTTP into a real SQLite event store: every
// evaluation of a known flag is counted by variant, reason and environment, and the counts
// survive the evaluator (they are in the store, not in memory).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { flagYaml, startEvaluator, type Harness } from "./harness.ts";

const FILES = {
  "flags.yaml": [
    flagYaml(
      "checkout",
      `type: string
variants: [{name: "on", value: new}, {name: "off", value: old}]
defaultVariant: "off"
offVariant: "off"
rules:
  - name: premium
    conditions: [{attribute: plan, operator: in, values: [premium]}]
    serve: {variant: "on"}`,
    ),
    flagYaml("unused", "type: boolean"),
  ].join(""),
};

let harness: Harness;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vexil-usage-"));
  file = path.join(dir, "events.db");
  harness = await startEvaluator(FILES, {
    eventStore: new SqliteEventStore(file),
    eventBuffer: { flushIntervalMs: 10, usageFlushMs: 50 },
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const evaluate = (flag: string, plan: string) =>
  fetch(`${harness.baseUrl}/ofrep/v1/evaluate/flags/${flag}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ context: { targetingKey: `u-${plan}`, plan } }),
  }).then((res) => res.json());

it("counts evaluations per flag, variant, reason and environment in the store, and they outlive the evaluator", async () => {
  const before = Date.now();
  for (let i = 0; i < 3; i++) await evaluate("checkout", "premium");
  await evaluate("checkout", "free");
  await evaluate("no-such-flag", "free"); // unknown keys are no flag's usage
  await harness.close(); // SIGTERM path: counted usage is handed over and flushed
  const store = new SqliteEventStore(file);
  try {
    const usage = await store.usage({ since: 0 });
    expect(usage.map((u) => u.flag)).toEqual(["checkout"]);
    const [checkout] = usage;
    expect(checkout).toMatchObject({
      namespace: "default",
      evaluations: 4,
      byVariant: { on: 3, off: 1 },
      byReason: { TARGETING_MATCH: 3, DEFAULT: 1 },
      byEnvironment: { production: 4 },
    });
    expect(checkout!.lastEvaluatedAt).toBeGreaterThanOrEqual(before);
    expect(checkout!.lastEvaluatedAt).toBeLessThanOrEqual(Date.now());
  } finally {
    await store.close();
  }
});
