// `vexil flags stale` on a directory: usage from the event store beside the flags (the default
// .vexil/events.db), stale flags grouped by owner, human and --output json.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFlagsStale } from "../../../cli/commands/flags-stale.ts";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { defaultEventsDatabase } from "../../../event-store/open.ts";
import type { StaleReport } from "../../../core/usage/report.ts";
import { capture, flagsDir, vexil } from "./run-cli.ts";

const flag = (name: string, extra = "") =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: {name: ${name}}\nspec:\n  type: boolean\n${extra}---\n`;
const DAY = 86_400_000;

let flags: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  flags = await flagsDir({
    "flags.yaml": [
      flag("fresh", "  owner: team-checkout\n"),
      flag("old-banner", "  owner: team-growth\n"),
      flag("dark-mode", "  owner: team-growth\n  staleAfter: 2d\n"),
      flag("orphan"),
    ].join(""),
  });
  const store = new SqliteEventStore(defaultEventsDatabase(flags.dir));
  const now = Date.now();
  const usage = (name: string, variant: string, at: number) => ({
    kind: "usage" as const,
    namespace: "default",
    flag: name,
    variant,
    reason: "SPLIT",
    environment: "production",
    hour: at - (at % 3_600_000),
    evaluations: 10,
    lastAt: at,
  });
  await store.write([
    usage("fresh", "on", now - 1000),
    usage("fresh", "off", now - 2000),
    usage("old-banner", "on", now - 40 * DAY),
    usage("dark-mode", "on", now - 3 * DAY),
    usage("dark-mode", "off", now - 3 * DAY),
  ]);
  await store.close();
});
afterAll(async () => {
  await flags.cleanup();
});

describe("vexil flags stale", () => {
  it("reports stale flags grouped by owner as JSON: not evaluated past 30 days or their staleAfter, never evaluated", async () => {
    const io = capture();
    expect(await runFlagsStale(io, { flags: flags.dir, namespace: "default", output: "json" })).toBe(0);
    const report = JSON.parse(io.stdout) as StaleReport;
    expect(report.checked).toBe(4);
    expect(report.stale).toBe(3);
    expect(report.owners.map((o) => [o.owner, o.flags.map((f) => [f.flag, f.reason])])).toEqual([
      [
        "team-growth",
        [
          ["dark-mode", "NotEvaluated"],
          ["old-banner", "NotEvaluated"],
        ],
      ],
      ["(no owner)", [["orphan", "NeverEvaluated"]]],
    ]);
    expect(report.owners[1]!.flags[0]!.lastEvaluatedAt).toBeNull();
  });

  it("prints one block per owner for people", async () => {
    const io = capture();
    await runFlagsStale(io, { flags: flags.dir, namespace: "default", output: "human" });
    expect(io.stdout).toContain("3 of 4 flags are stale");
    expect(io.stdout).toMatch(
      /team-growth \(2\)\n {2}default\/dark-mode {2}NotEvaluated: not evaluated for 3 days \(stale after 2 days\)/,
    );
    expect(io.stdout).toContain("default/orphan  NeverEvaluated: never evaluated\n");
    expect(io.stdout).toMatch(
      /old-banner {2}NotEvaluated: not evaluated for 40 days \(stale after 30 days\) \(last evaluated 20/,
    );
  });

  it("runs as `vexil flags stale` from the command line", async () => {
    const result = await vexil(["flags", "stale", "--flags", flags.dir, "--output", "json"]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as StaleReport).stale).toBe(3);
  });

  it("refuses to guess where the flags are", async () => {
    await expect(runFlagsStale(capture(), { namespace: "default", output: "human" })).rejects.toThrow(
      "say where the flags are: --flags DIR, or --kubernetes for a cluster",
    );
    await expect(
      runFlagsStale(capture(), {
        flags: path.join(flags.dir),
        kubernetes: true,
        namespace: "default",
        output: "human",
      }),
    ).rejects.toThrow("use either --flags DIR or --kubernetes, not both");
  });
});
