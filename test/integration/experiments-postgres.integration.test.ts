// The experiments pipeline end to end, on the real API server and a real PostgreSQL: two
// `vexil serve --kubernetes` processes and a `vexil operator` share one event store. Users are
// evaluated through OFREP on both, conversions posted to both; the Experiment status must show
// the exact unique counts and the statistics analyzeExperiment gives for the aggregates the
// test computes from what it sent. Then: restart everything (nothing lost), and stop
// PostgreSQL mid-run (evaluations keep answering, buffered events land after recovery).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentSpecSchema } from "../../core/schema/experiment.ts";
import { analyzeExperiment } from "../../core/statistics/analyze.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import { startPostgres, type TestPostgres } from "../postgres/server.ts";
import { EXPERIMENT_YAML, Ledger, driveUsers, spawnServe, type ServeProcess } from "./experiment-processes.ts";
import {
  apply,
  applyCrds,
  getJson,
  kubectlOk,
  spawnOperator,
  waitFor,
  type OperatorProcess,
} from "./operator-helpers.ts";

const FLAG = "button";
const EXPERIMENT = `${FLAG}-test`;
const VARIANTS = ["blue", "green"];

interface ExperimentObject {
  spec: unknown;
  status?: {
    phase?: string;
    results?: Record<string, { variant: string; exposures: number; conversions: number }[]>;
    conditions?: { type: string; status: string }[];
  };
}

describe("experiments on a cluster with PostgreSQL", () => {
  let ns: TestNamespace;
  let postgres: TestPostgres;
  let evaluators: ServeProcess[] = [];
  let operator: OperatorProcess | undefined;
  const ledger = new Ledger();

  const startAll = async () => {
    const args = ["--kubernetes", "--namespace", ns.name, "--events-database", postgres.url];
    // the operator first: evaluators are ready once it has written the snapshot
    operator = await spawnOperator([
      "--namespace",
      ns.name,
      "--events-database",
      postgres.url,
      "--analysis-interval",
      "1",
    ]);
    evaluators = await Promise.all([spawnServe(args), spawnServe(args)]);
  };
  const stopAll = async () => {
    const codes = await Promise.all(evaluators.map((e) => e.stop()));
    operator?.child.kill("SIGTERM");
    await operator?.exited;
    return codes;
  };
  const experiment = () => getJson<ExperimentObject>(ns.name, "experiment", EXPERIMENT);
  /**
   * Waits (up to 60 s: evaluators write every 200 ms, the operator analyses every second) for the
   * status to equal analyzeExperiment on the ledger's aggregates; on timeout the diff is shown.
   */
  const expectExactStatus = async () => {
    const object = await experiment();
    const spec = experimentSpecSchema.parse(object.spec);
    const expected = JSON.parse(
      JSON.stringify(analyzeExperiment(spec, ledger.aggregates(VARIANTS), { phase: "Running" })),
    );
    let last = object;
    const matches = (candidate: ExperimentObject) => {
      try {
        expect(candidate.status).toMatchObject(expected);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(
      async () => {
        last = await experiment();
        return matches(last);
      },
      60_000,
      250,
    ).catch(() => undefined);
    expect(last.status).toMatchObject(expected);
    return last;
  };

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("exp-pg");
    postgres = await startPostgres();
    await apply(ns.name, EXPERIMENT_YAML(FLAG));
    await startAll();
    // both evaluators serve the experiment once the operator wrote the snapshot
    await waitFor(async () => {
      const answers = await Promise.all(
        evaluators.map((e) => e.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { context: { targetingKey: "probe" } })),
      );
      return answers.every((a) => (a.body.metadata as Record<string, unknown> | undefined)?.experiment === EXPERIMENT);
    }, 60_000);
    ledger.variantOf.clear(); // the probe is exposed too: record it through the ledger below
    const probe = await evaluators[0]!.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { context: { targetingKey: "probe" } });
    ledger.exposed("probe", probe.body.variant as string);
  }, 300_000);

  afterAll(async () => {
    for (const e of evaluators) e.child.kill("SIGKILL");
    operator?.child.kill("SIGKILL");
    await postgres?.stop();
    await ns?.cleanup();
  });

  it("shows exact unique counts and the analysis of them in the Experiment status, from two evaluators", async () => {
    const users = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    expect(await driveUsers(evaluators, FLAG, users, ledger)).toBe(users.length);
    const object = await expectExactStatus();
    expect(object.status?.phase).toBe("Running");
    expect(object.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "Ready", status: "True" }),
        expect.objectContaining({ type: "Running", status: "True" }),
        expect.objectContaining({ type: "SampleRatioMismatch", status: "False" }),
      ]),
    );
    const table = await kubectlOk(["get", "experiments"], { namespace: ns.name });
    expect(table).toMatch(new RegExp(`${EXPERIMENT}\\s+${FLAG}\\s+Running`));
    // every evaluator answers the same results from the shared store
    const served = await Promise.all(
      evaluators.map(
        async (e) => (await (await fetch(`${e.url}/v1/experiments/${EXPERIMENT}`)).json()) as Record<string, unknown>,
      ),
    );
    expect(served[0]!.results).toEqual(object.status?.results);
    expect(served[1]!.results).toEqual(object.status?.results);
  });

  it("loses nothing when every evaluator, the operator and PostgreSQL restart", async () => {
    const codes = await stopAll();
    expect(codes).toEqual([0, 0]);
    await postgres.pause();
    await postgres.resume();
    await startAll();
    const users = Array.from({ length: 60 }, (_, i) => `after-restart-${i}`);
    await driveUsers(evaluators, FLAG, users, ledger);
    await expectExactStatus();
  });

  it("keeps answering evaluations while PostgreSQL is down, and the events buffered meanwhile land after it returns", async () => {
    await postgres.pause();
    const users = Array.from({ length: 120 }, (_, i) => `during-outage-${i}`);
    const started = Date.now();
    expect(await driveUsers(evaluators, FLAG, users, ledger)).toBe(users.length);
    const elapsedPerUser = (Date.now() - started) / users.length;
    expect(elapsedPerUser).toBeLessThan(200); // never waits on the database
    await new Promise((resolve) => setTimeout(resolve, 6000)); // the outage goes on a while
    const metrics = await (await fetch(`${evaluators[0]!.url}/metrics`)).text();
    expect(metrics).toMatch(/vexil_events_buffered [1-9]/);
    expect(metrics).toMatch(/vexil_events_dropped_total\{reason="buffer_full"\} 0/);
    await postgres.resume();
    await expectExactStatus();
  });
});
