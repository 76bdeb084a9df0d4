// Flag usage and staleness on the real API server with a real (SQLite) event store: the
// leader's usage pass writes status.usage and the Stale condition from the evaluators'
// rollups, `kubectl get ff` shows LAST EVALUATED, and reconciles keep the Stale condition.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFlagsStale } from "../../cli/commands/flags-stale.ts";
import type { StaleReport } from "../../core/usage/report.ts";
import type { OperatorHandle } from "../../operator/operator.ts";
import { capture } from "../unit/cli/run-cli.ts";
import { SqliteEventStore } from "../../event-store/sqlite.ts";
import type { UsageRecord } from "../../event-store/store.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  apply,
  applyCrds,
  conditionOf,
  flagYaml,
  getJson,
  kubectlOk,
  startTestOperator,
  waitFor,
} from "./operator-helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("flag usage in FeatureFlag status", () => {
  let ns: TestNamespace;
  let dir: string;
  let store: SqliteEventStore;
  let operator: OperatorHandle;
  const now = Date.now();
  const usage = (flag: string, variant: string, at: number, evaluations: number): UsageRecord => ({
    kind: "usage",
    namespace: "",
    flag,
    variant,
    reason: "TARGETING_MATCH",
    environment: "production",
    hour: at - (at % HOUR),
    evaluations,
    lastAt: at,
  });

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("usage");
    dir = mkdtempSync(path.join(tmpdir(), "vexil-usage-"));
    store = new SqliteEventStore(path.join(dir, "events.db"));
    const records = [
      usage("used", "on", now - HOUR, 5),
      usage("used", "off", now - 2 * HOUR, 2),
      usage("used", "on", now - 3 * DAY, 100), // outside the last 24 h
      usage("forgotten", "on", now - 3 * DAY, 3),
    ];
    await store.write(records.map((r) => ({ ...r, namespace: ns.name })));
    await apply(
      ns.name,
      [
        flagYaml("used", "type: boolean\nowner: team-checkout"),
        flagYaml("forgotten", "type: boolean\nstaleAfter: 1d"),
        flagYaml("never", "type: boolean"),
      ].join("---\n"),
    );
    // a 1 ms grace: "never" is already past it; a long interval: the test drives each pass
    operator = await startTestOperator("usage", {
      namespaces: [ns.name],
      eventStore: store,
      staleGraceMs: 1,
      analysisIntervalMs: 3_600_000,
    });
    await waitFor(() => operator.ready() && operator.isLeader(), 30_000, 50);
  }, 120_000);
  afterAll(async () => {
    await operator?.stop();
    await store?.close();
    await ns?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes evaluations in the last 24 h, the last evaluation and why a flag is stale", async () => {
    await operator.idle();
    await operator.reportUsage();
    const used = await getJson<{ status: { usage: unknown } }>(ns.name, "ff", "used");
    expect(used.status.usage).toEqual({
      evaluations24h: 7,
      lastEvaluatedAt: new Date(now - HOUR).toISOString().replace(/\.\d+Z$/, "Z"),
      variants24h: { on: 5, off: 2 },
    });
    expect(await conditionOf(ns.name, "ff/used", "Stale")).toMatchObject({ status: "False", reason: "Evaluated" });
    const forgotten = await conditionOf(ns.name, "ff/forgotten", "Stale");
    expect(forgotten).toMatchObject({ status: "True", reason: "NotEvaluated" });
    expect(forgotten?.message).toBe("not evaluated for 3 days (stale after 1 day)");
    const never = await conditionOf(ns.name, "ff/never", "Stale");
    expect(never).toMatchObject({ status: "True", reason: "NeverEvaluated" });
    expect((await getJson<{ status: { usage: unknown } }>(ns.name, "ff", "never")).status.usage).toEqual({
      evaluations24h: 0,
    });
  });

  it("vexil flags stale --kubernetes reports the operator's Stale conditions grouped by owner", async () => {
    const io = capture();
    expect(await runFlagsStale(io, { kubernetes: true, namespace: ns.name, output: "json" })).toBe(0);
    const report = JSON.parse(io.stdout) as StaleReport;
    expect(report).toMatchObject({ checked: 3, stale: 2 });
    expect(report.owners).toEqual([
      {
        owner: "(no owner)",
        flags: [
          expect.objectContaining({ flag: "forgotten", reason: "NotEvaluated" }),
          expect.objectContaining({ flag: "never", reason: "NeverEvaluated", lastEvaluatedAt: null }),
        ],
      },
    ]);
  });

  it("shows LAST EVALUATED in kubectl get ff, and a reconcile after a spec change keeps the Stale condition", async () => {
    const table = await kubectlOk(["get", "ff", "used", "forgotten"], { namespace: ns.name });
    expect(table.split("\n")[0]).toMatch(/LAST EVALUATED/);
    expect(table).toMatch(/used\s.*\s(60m|61m|1h)\s.*\n.*forgotten\s.*\s3d\s/);
    await kubectlOk(["patch", "ff", "forgotten", "--type=merge", "-p", '{"spec":{"description":"changed"}}'], {
      namespace: ns.name,
    });
    await waitFor(
      async () => (await conditionOf(ns.name, "ff/forgotten", "Ready"))?.observedGeneration === 2,
      30_000,
      100,
    );
    expect(await conditionOf(ns.name, "ff/forgotten", "Stale")).toMatchObject({ reason: "NotEvaluated" });
  });

  it("an evaluation after the grace period moves a flag from NeverEvaluated to fresh on the next pass", async () => {
    await store.write([{ ...usage("never", "on", Date.now(), 1), namespace: ns.name }]);
    await operator.reportUsage();
    expect(await conditionOf(ns.name, "ff/never", "Stale")).toMatchObject({ status: "False", reason: "Evaluated" });
  });
});
