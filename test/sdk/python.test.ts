// The Python SDK: mypy --strict and ruff on the generated package and its tests, pytest against a
// live evaluator, then the built wheel installed into a clean virtualenv and run.
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exposuresOf,
  findBinary,
  generateInto,
  pythonEnv,
  ROOT,
  run,
  sdkTestEnv,
  startEvaluator,
  tempDir,
  trackedEvents,
  type LiveEvaluator,
} from "./harness.ts";
import { Driver } from "./engines/driver.ts";
import { vectors } from "./typescript/local-checks.ts";

/** The toolchain, pinned: the virtualenv is cached under ${VEXIL_CACHE_DIR:-~/.cache/vexil}/sdk-python-<hash>. */
export const PYTHON_SDK_REQUIREMENTS = [
  "openfeature-sdk==0.10.0",
  "pytest==9.2.0",
  "mypy==2.4.1",
  "ruff==0.17.6",
  "hatchling==1.33.0",
  // the local evaluation engine's (as test/sdk/engines/toolchains.ts pins them)
  "google-re2==1.1.20251105",
  "mmh3==5.3.1",
];

const python3 = findBinary("python3", "the Python SDK toolchain test");

describe.skipIf(python3 === undefined)("generated Python SDK", () => {
  let evaluator: LiveEvaluator;
  // local evaluation: test/sdk/flags (its kill switch flipped), examples/ (an experiment), the vectors' snapshot
  let local: LiveEvaluator;
  let examples: LiveEvaluator;
  let vectorsEvaluator: LiveEvaluator;
  let work: string;
  let pkg: string;
  let python: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = Date.now();
    python = await pythonEnv(python3 as string, "sdk-python", PYTHON_SDK_REQUIREMENTS);
    timings["virtualenv (cached)"] = Date.now() - started;
    evaluator = await startEvaluator();
    work = await tempDir("python");
    pkg = join(work, "vexil-flags");
    await generateInto("python", pkg);
    await mkdir(join(pkg, "tests"));
    local = await startEvaluator();
    examples = await startEvaluator({ flags: join(ROOT, "examples") });
    vectorsEvaluator = await startEvaluator({ snapshot: vectors().snapshot });
    for (const file of ["test_flags.py", "test_local.py", "local_driver.py", "example.py"]) {
      await cp(join(ROOT, "test/sdk/python", file), join(pkg, "tests", file));
    }
  });
  afterAll(async () => {
    await evaluator?.close();
    await local?.close();
    await examples?.close();
    await vectorsEvaluator?.close();
    process.stdout.write(`python SDK timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it("passes mypy --strict and ruff, package and tests", async () => {
    const env = { MYPYPATH: join(pkg, "src") };
    timings.mypy = (await run(python, ["-m", "mypy", "--strict", "src", "tests"], { cwd: pkg, env })).ms;
    timings.ruff = (await run(python, ["-m", "ruff", "check", "src", "tests"], { cwd: pkg })).ms;
  });

  it("passes its pytest suite against the evaluators, and the tracked events and exposures arrive", async () => {
    const snapshotFile = join(work, "snapshot.json");
    const cli = [join(ROOT, "cli/main.ts"), "compile", "--flags", join(ROOT, "test/sdk/flags"), "--env", "production"];
    await writeFile(snapshotFile, (await run(join(ROOT, "node_modules/.bin/node"), cli)).stdout);
    const env = {
      ...sdkTestEnv(evaluator),
      PYTHONPATH: `${join(pkg, "src")}:${join(pkg, "tests")}`,
      VEXIL_LOCAL_URL: local.url,
      VEXIL_LOCAL_FLAGS_DIR: local.flagsDir,
      VEXIL_EXAMPLES_URL: examples.url,
      VEXIL_VECTORS_URL: vectorsEvaluator.url,
      VEXIL_VECTORS_FILE: join(ROOT, "test/vectors/evaluation.json"),
      VEXIL_SNAPSHOT_FILE: snapshotFile,
    };
    const result = await run(python, ["-m", "pytest", "-q", "-s", "tests"], { cwd: pkg, env });
    timings.pytest = result.ms;
    expect(result.stdout).toMatch(/12 passed/);
    expect(result.stdout).toMatch(/python: kill switch seen after \d+ ms/);
    expect(result.stdout).toMatch(/python local: kill switch seen after \d+ ms/);
    for (const line of result.stdout.split("\n").filter((l) => /kill switch|agree|equal/.test(l))) {
      process.stdout.write(`${line.trim()}\n`);
    }
    expect(await trackedEvents(evaluator, "py-buyer", 2)).toEqual([
      { event: "purchase", value: 42.5 },
      { event: "signup", value: 1 },
    ]);
    const served = [...result.stdout.matchAll(/exposed (py-exposed-\d+) (\w+)/g)].map(([, user, variant]) => ({
      targetingKey: user,
      experiment: "button-color-test",
      flag: "checkout-button-color",
      variant,
    }));
    expect(served).toHaveLength(20);
    expect(await exposuresOf(examples, "py-exposed-", 20)).toEqual(expect.arrayContaining(served));
    expect(await exposuresOf(examples, "py-exposed-", 20)).toHaveLength(20);
  });

  it("keeps serving the last good snapshot while the evaluator is down, says STALE, then READY", async () => {
    let down = await startEvaluator();
    const env = { ...process.env, PYTHONPATH: `${join(pkg, "src")}:${join(pkg, "tests")}` };
    const driver = new Driver(python, [join(pkg, "tests/local_driver.py"), down.url, down.token], { env });
    try {
      const onUser1 = { value: true, variant: "on", reason: "TARGETING_MATCH", errorCode: null };
      expect(await driver.send("evaluate new-checkout user-1")).toEqual(onUser1);
      await down.close();
      const stale = await driver.send<{ ok: boolean; ms: number; message: string }>("wait STALE 10");
      expect(stale).toMatchObject({ ok: true, message: expect.stringMatching(/stream|snapshot/) });
      expect(await driver.send("evaluate new-checkout user-1")).toEqual(onUser1);
      down = await startEvaluator({ port: down.port });
      const ready = await driver.send<{ ok: boolean; ms: number }>("wait READY 10");
      expect(ready.ok).toBe(true);
      process.stdout.write(`python local: stale after ${stale.ms} ms, ready again after ${ready.ms} ms\n`);
      expect(await driver.send("close")).toEqual({ closed: true });
    } finally {
      driver.kill();
      await down.close();
    }
  });

  it("builds a wheel that installs into a clean virtualenv and runs", async () => {
    const dist = join(work, "dist");
    const wheel = await run(python, ["-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", dist, pkg]);
    timings.wheel = wheel.ms;
    const clean = join(work, "clean");
    await run(python3 as string, ["-m", "venv", clean]);
    const wheelFile = join(dist, "vexil_flags-0.1.0-py3-none-any.whl");
    const pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheelFile];
    timings["clean install"] = (await run(join(clean, "bin/python"), pip)).ms;
    const app = join(work, "app");
    await mkdir(app);
    await cp(join(ROOT, "test/sdk/python/example.py"), join(app, "example.py"));
    const script =
      "import sys, example, vexil_flags; print(vexil_flags.__file__); print(example.example(*sys.argv[1:]))";
    const ran = await run(join(clean, "bin/python"), ["-c", script, evaluator.url, evaluator.token], { cwd: app });
    expect(ran.stdout).toContain(join(clean, "lib"));
    expect(ran.stdout).toContain("checkout=True color=green");
    expect(await trackedEvents(evaluator, "user-1", 2)).toEqual([
      { event: "purchase", value: 42.5 },
      { event: "purchase", value: 42.5 },
    ]);
  });
});
