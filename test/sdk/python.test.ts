// The Python SDK: mypy --strict and ruff on the generated package and its tests, pytest against a
// live evaluator, then the built wheel installed into a clean virtualenv and run.
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
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

/** The toolchain, pinned: the virtualenv is cached under ${VEXIL_CACHE_DIR:-~/.cache/vexil}/sdk-python-<hash>. */
export const PYTHON_SDK_REQUIREMENTS = [
  "openfeature-sdk==0.10.0",
  "pytest==9.2.0",
  "mypy==2.4.1",
  "ruff==0.17.6",
  "hatchling==1.33.0",
];

const python3 = findBinary("python3", "the Python SDK toolchain test");

describe.skipIf(python3 === undefined)("generated Python SDK", () => {
  let evaluator: LiveEvaluator;
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
    for (const file of ["test_flags.py", "example.py"]) {
      await cp(join(ROOT, "test/sdk/python", file), join(pkg, "tests", file));
    }
  });
  afterAll(async () => {
    await evaluator?.close();
    process.stdout.write(`python SDK timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it("passes mypy --strict and ruff, package and tests", async () => {
    const env = { MYPYPATH: join(pkg, "src") };
    timings.mypy = (await run(python, ["-m", "mypy", "--strict", "src", "tests"], { cwd: pkg, env })).ms;
    timings.ruff = (await run(python, ["-m", "ruff", "check", "src", "tests"], { cwd: pkg })).ms;
  });

  it("passes its pytest suite against the evaluator, and the tracked events arrive", async () => {
    const env = { ...sdkTestEnv(evaluator), PYTHONPATH: `${join(pkg, "src")}:${join(pkg, "tests")}` };
    const result = await run(python, ["-m", "pytest", "-q", "-s", "tests"], { cwd: pkg, env });
    timings.pytest = result.ms;
    expect(result.stdout).toMatch(/5 passed/);
    expect(result.stdout).toMatch(/python: kill switch seen after \d+ ms/);
    expect(await trackedEvents(evaluator, "py-buyer", 2)).toEqual([
      { event: "purchase", value: 42.5 },
      { event: "signup", value: 1 },
    ]);
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
