// Local evaluation in each engine port against a live evaluator on 127.0.0.1: the snapshot from
// GET /v1/snapshot agrees with the evaluator's own answers, a kill switch arrives through
// /v1/stream within a second, exposures of an experiment flag reach POST /v1/events in batches,
// the last good snapshot keeps serving (state STALE) when the evaluator goes away, and a
// snapshot file starts the engine offline.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";
import { flagYaml, startEvaluator, type Harness } from "../../unit/evaluator/harness.ts";
import { Driver } from "./driver.ts";
import {
  findBinary,
  goEnv,
  mavenRepository,
  PYTHON_ENGINE_REQUIREMENTS,
  pythonEnv,
  ROOT,
  run,
  tail,
  type RunResult,
} from "./toolchains.ts";

const TOKEN = "local-evaluation-token";
const BANNER = (killSwitch: boolean) =>
  flagYaml(
    "banner",
    `type: string
variants: [{name: blue, value: blue}, {name: green, value: green}]
defaultVariant: blue
offVariant: green
killSwitch: ${killSwitch}
rules:
  - name: french
    conditions: [{attribute: country, operator: in, values: [FR]}]
    serve: {variant: green}`,
  );
const FLAGS = `${BANNER(false)}${flagYaml("checkout", "type: boolean")}apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: checkout-test}
spec:
  flag: checkout
  variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
  control: "off"
  metrics: [{name: purchase, event: purchase}]
`;
const CONTEXTS = [{ targetingKey: "u1" }, { targetingKey: "u2", country: "FR" }, null];

let goBuild: Promise<RunResult> | undefined;
let javaBuild: Promise<RunResult> | undefined;

interface Language {
  name: string;
  driver(args: string[]): Promise<Driver | undefined>;
}

const LANGUAGES: Language[] = [
  {
    name: "python",
    async driver(args) {
      const python3 = findBinary("python3", "the Python local-evaluation test");
      if (python3 === undefined) return undefined;
      const python = await pythonEnv(python3, "python-engine", PYTHON_ENGINE_REQUIREMENTS);
      const env = { ...process.env, PYTHONPATH: join(ROOT, "sdk-templates/python/engine") };
      return new Driver(python, [join(import.meta.dirname, "drivers/local_driver.py"), ...args], { env });
    },
  },
  {
    name: "go",
    async driver(args) {
      const go = findBinary("go", "the Go local-evaluation test");
      if (go === undefined) return undefined;
      const cwd = join(import.meta.dirname, "drivers/go");
      const env = { ...process.env, ...goEnv(), GOFLAGS: "-mod=mod" }; // the driver's go.mod replaces the engine
      const binary = join(cwd, "local-driver");
      goBuild ??= run(go, ["build", "-o", binary, "."], { cwd, env });
      const build = await goBuild;
      if (build.code !== 0) throw new Error(`building the Go driver failed:\n${tail(build)}`);
      return new Driver(binary, args);
    },
  },
  {
    name: "java",
    async driver(args) {
      const mvn = findBinary("mvn", "the Java local-evaluation test");
      const java = findBinary("java", "the Java local-evaluation test");
      if (mvn === undefined || java === undefined) return undefined;
      const cwd = join(ROOT, "sdk-templates/java/engine");
      const classpathFile = join(cwd, "target/classpath.txt");
      const goals = ["test-compile", "dependency:build-classpath", `-Dmdep.outputFile=${classpathFile}`];
      javaBuild ??= run(mvn, ["-q", "-B", `-Dmaven.repo.local=${mavenRepository()}`, ...goals], { cwd });
      const build = await javaBuild;
      if (build.code !== 0) throw new Error(`building the Java driver failed:\n${tail(build)}`);
      const classes = [
        join(cwd, "target/classes"),
        join(cwd, "target/test-classes"),
        readFileSync(classpathFile, "utf8").trim(),
      ];
      return new Driver(java, ["-cp", classes.join(":"), "dev.vexil.engine.LocalDriver", ...args]);
    },
  },
];

describe.each(LANGUAGES)("local evaluation in the $name engine", (language) => {
  let harness: Harness;
  let running = false;
  let driver: Driver | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vexil-local-"));
    harness = await startEvaluator({ "flags.yaml": FLAGS }, { authTokens: [TOKEN], heartbeatMs: 1000 });
    running = true;
    driver = await language.driver([harness.baseUrl, TOKEN]);
    if (driver) expect(await driver.send("wait-state READY 10")).toMatchObject({ ok: true, events: ["ready"] });
  }, 600_000);
  afterAll(async () => {
    driver?.kill();
    if (running) await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers from the fetched snapshot exactly as the evaluator does", async () => {
    if (!driver) return;
    const response = await fetch(`${harness.baseUrl}/v1/snapshot`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const snapshot = (await response.json()) as Snapshot;
    for (const key of ["banner", "checkout", "missing"]) {
      for (const context of CONTEXTS) {
        const got = await driver.send(`evaluate ${JSON.stringify({ key, context, default: "fallback" })}`);
        const want = evaluate(snapshot, key, context ?? undefined, { defaultValue: "fallback" });
        expect(got).toEqual({
          value: want.value,
          variant: want.variant ?? null,
          reason: want.reason,
          errorCode: want.errorCode ?? null,
        });
      }
    }
  });

  it("sees a kill switch through /v1/stream within a second", async () => {
    if (!driver) return;
    await harness.write("flags.yaml", FLAGS.replace(BANNER(false), BANNER(true)));
    const seen = await driver.send<{ ok: boolean; ms: number }>("wait banner DISABLED 5");
    expect(seen.ok).toBe(true);
    expect(seen.ms).toBeLessThan(1000);
  });

  it("sends exposures of the experiment flag to POST /v1/events in batches", async () => {
    if (!driver) return;
    const exposures = async () =>
      Number(/type="exposure"} (\d+)/.exec(await harness.metric("vexil_events_received_total"))?.[1] ?? 0);
    await new Promise((r) => setTimeout(r, 1000)); // the first test's exposures land (200 ms batches)
    const before = await exposures();
    for (let i = 0; i < 25; i++) {
      const context = { targetingKey: `user-${i}` };
      const result = await driver.send(`evaluate ${JSON.stringify({ key: "checkout", context })}`);
      expect(result.reason).toBe("SPLIT");
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await exposures()) < before + 25) await new Promise((r) => setTimeout(r, 50));
    expect((await exposures()) - before).toBe(25);
  });

  it("keeps serving the last good snapshot when the evaluator goes away, and says it is stale", async () => {
    if (!driver) return;
    await harness.close();
    running = false;
    const stale = await driver.send<{ ok: boolean; events: string[] }>("wait-state STALE 10");
    expect(stale.ok).toBe(true);
    expect(stale.events).toContain("stale");
    const result = await driver.send(`evaluate ${JSON.stringify({ key: "banner", context: { targetingKey: "u1" } })}`);
    expect(result).toMatchObject({ value: "green", reason: "DISABLED" });
    expect(await driver.send("close")).toMatchObject({ dropped: 0 });
  });

  it("starts offline from a snapshot file", async () => {
    const file = join(dir, "snapshot.json");
    const snapshot = harness.source.current()!;
    await writeFile(file, JSON.stringify(snapshot));
    const offline = await language.driver(["--file", file]);
    if (!offline) return;
    try {
      expect(await offline.send("wait-state READY 5")).toMatchObject({ ok: true });
      const got = await offline.send(`evaluate ${JSON.stringify({ key: "banner", context: { targetingKey: "u1" } })}`);
      expect(got).toMatchObject({ value: "green", variant: "green", reason: "DISABLED" });
    } finally {
      offline.kill();
    }
  });
});
