// The Python engine port (sdk-templates/python/engine) against the shared vectors, and its
// static checks (mypy --strict, ruff), in a cached virtualenv with pinned packages.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  findBinary,
  passCounts,
  PYTHON_ENGINE_REQUIREMENTS,
  pythonEnv,
  ROOT,
  run,
  tail,
  VECTORS_DIR,
} from "./toolchains.ts";
import { vectorTotals } from "./vectors.ts";

const ENGINE = join(ROOT, "sdk-templates/python/engine");
const python3 = findBinary("python3", "the Python engine conformance test");

describe.skipIf(python3 === undefined)("Python engine port", () => {
  let python = "";
  beforeAll(async () => {
    python = await pythonEnv(python3!, "python-engine", PYTHON_ENGINE_REQUIREMENTS);
  }, 600_000);

  it("agrees with the TypeScript engine on every evaluation and bucketing vector", async () => {
    const result = await run(python, ["conformance.py", VECTORS_DIR], { cwd: ENGINE });
    process.stdout.write(
      `${result.stdout
        .split("\n")
        .filter((l) => l.includes("engine:"))
        .join("\n")}\n`,
    );
    expect(result.code, tail(result)).toBe(0);
    const totals = vectorTotals();
    expect(passCounts(result.stdout, "python")).toEqual({
      evaluation: `${totals.evaluation}/${totals.evaluation}`,
      bucketing: `${totals.bucketing}/${totals.bucketing}`,
    });
  }, 120_000);

  it("passes mypy --strict and ruff (lint and format)", async () => {
    for (const args of [
      ["-m", "mypy", "vexil_engine", "conformance.py"],
      ["-m", "ruff", "check", "vexil_engine", "conformance.py"],
      ["-m", "ruff", "format", "--check", "vexil_engine", "conformance.py"],
    ]) {
      const result = await run(python, args, { cwd: ENGINE, env: { ...process.env, MYPY_CACHE_DIR: "/dev/null" } });
      expect(result.code, `${args.join(" ")}\n${tail(result)}`).toBe(0);
    }
  }, 300_000);
});
