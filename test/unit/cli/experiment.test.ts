// Directory mode end to end with the embedded SQLite store: two `vexil serve --flags` processes
// share <flags>/.vexil/events.db; users evaluated through OFREP on both, conversions posted to
// both; after both restart, `vexil experiment results` (from the store and from an evaluator)
// shows the exact unique counts and the analysis of the aggregates the test computed itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentSpecSchema } from "../../../core/schema/experiment.ts";
import { loadManifestPaths } from "../../../core/manifest/load.ts";
import { analyzeExperiment } from "../../../core/statistics/analyze.ts";
import {
  EXPERIMENT_YAML,
  Ledger,
  driveUsers,
  spawnServe,
  type ServeProcess,
} from "../../integration/experiment-processes.ts";
import { flagsDir, vexil } from "./run-cli.ts";

describe("experiments in directory mode (embedded SQLite store)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let evaluators: ServeProcess[] = [];
  const ledger = new Ledger();

  beforeAll(async () => {
    ({ dir, cleanup } = await flagsDir({ "button.yaml": EXPERIMENT_YAML("button") }));
    evaluators = await Promise.all([spawnServe(["--flags", dir]), spawnServe(["--flags", dir])]);
  }, 60_000);
  afterAll(async () => {
    for (const e of evaluators) e.child.kill("SIGKILL");
    await cleanup?.();
  });

  const expected = async () => {
    const experiment = (await loadManifestPaths([dir])).resources.find((r) => r.kind === "Experiment")!;
    const spec = experimentSpecSchema.parse(experiment.spec);
    return JSON.parse(
      JSON.stringify(analyzeExperiment(spec, ledger.aggregates(["blue", "green"]), { phase: "Running" })),
    );
  };

  it("counts unique users from two evaluators sharing the store, and keeps them across restarts", async () => {
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    expect(await driveUsers(evaluators, "button", users, ledger)).toBe(users.length);
    expect(await Promise.all(evaluators.map((e) => e.stop()))).toEqual([0, 0]); // SIGTERM flushes
    evaluators = await Promise.all([spawnServe(["--flags", dir]), spawnServe(["--flags", dir])]);
    await driveUsers(evaluators, "button", ["late-1", "late-2", "late-3"], ledger);
    await Promise.all(evaluators.map((e) => e.stop()));

    const fromStore = await vexil(["experiment", "results", "button-test", "--flags", dir, "--output", "json"]);
    expect(fromStore.code).toBe(0);
    const results = JSON.parse(fromStore.stdout) as Record<string, unknown>;
    expect(results).toMatchObject({ name: "button-test", flag: "button", phase: "Running", ...(await expected()) });
    const exposures = (results.results as Record<string, { exposures: number }[]>).purchase!;
    expect(exposures.reduce((n, r) => n + r.exposures, 0)).toBe(ledger.variantOf.size);
  });

  it("prints human tables, and reads the same results from a running evaluator", async () => {
    evaluators = [await spawnServe(["--flags", dir])];
    const list = await vexil(["experiment", "list", "--flags", dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+FLAG\s+PHASE\s+USERS\s+LEADING/);
    expect(list.stdout).toMatch(new RegExp(`button-test\\s+button\\s+Running\\s+${ledger.variantOf.size}\\b`));
    const table = await vexil(["experiment", "results", "button-test", "--url", evaluators[0]!.url]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("button-test: flag button, production, Running");
    expect(table.stdout).toMatch(/purchase\nVARIANT\s+USERS\s+CONVERTED\s+RATE\s+LIFT/);
    expect(table.stdout).toMatch(/blue \(control\)\s+\d+/);
    const json = await vexil(["experiment", "results", "button-test", "--url", evaluators[0]!.url, "-o", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject(await expected());
  });

  it("says when an experiment does not exist, and when no source was given", async () => {
    const missing = await vexil(["experiment", "results", "nope", "--flags", dir]);
    expect(missing).toMatchObject({ code: 1, stderr: 'error: no experiment "nope" in namespace default\n' });
    const nowhere = await vexil(["experiment", "list"]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(
      "say where results are: --url http://evaluator:8080, --events-database, or --flags DIR",
    );
  });
});
