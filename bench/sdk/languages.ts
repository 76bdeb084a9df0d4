// How each language's SDK benchmark is prepared and started: the toolchain, its cached
// dependencies (outside the repo, like the conformance tests') and the command that runs it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  findBinary,
  mavenRepository,
  PYTHON_ENGINE_REQUIREMENTS,
  pythonEnv,
  ROOT,
  run,
  tail,
  type RunResult,
} from "../../test/sdk/engines/toolchains.ts";

export const LANGUAGES = ["python", "go", "java"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The peers' pinned versions (PyPI); the engine's own requirements come from its conformance test. */
const PYTHON_PEERS = ["openfeature-flagd-core==2.0.0", "UnleashClient==6.9.1", "growthbook==4.0.0"];

function must(result: RunResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} failed:\n${tail(result)}`);
}

async function python(config: string, quick: string[]): Promise<RunResult> {
  const python3 = findBinary("python3", "the Python SDK benchmark");
  if (python3 === undefined) throw new Error("python3 is not on PATH");
  const requirements = [...PYTHON_ENGINE_REQUIREMENTS.filter((r) => !/^(mypy|ruff)==/.test(r)), ...PYTHON_PEERS];
  const venv = await pythonEnv(python3, "python-bench", requirements);
  return run(venv, [join(ROOT, "bench/sdk/python/bench.py"), config, ...quick], { timeoutMs: 1_800_000 });
}

async function go(config: string, quick: string[]): Promise<RunResult> {
  const goBinary = findBinary("go", "the Go SDK benchmark");
  if (goBinary === undefined) throw new Error("go is not on PATH");
  const env = { ...process.env, GOWORK: "off", GOFLAGS: "-mod=readonly" };
  return run(goBinary, ["run", ".", config, ...quick], { cwd: join(ROOT, "bench/sdk/go"), env, timeoutMs: 1_800_000 });
}

async function java(config: string, quick: string[]): Promise<RunResult> {
  const mvn = findBinary("mvn", "the Java SDK benchmark");
  const javaBinary = findBinary("java", "the Java SDK benchmark");
  if (mvn === undefined || javaBinary === undefined) throw new Error("mvn or java is not on PATH");
  const repo = `-Dmaven.repo.local=${mavenRepository()}`;
  const engine = join(ROOT, "sdk-templates/java/engine");
  must(await run(mvn, ["-q", "-B", repo, "-DskipTests", "install"], { cwd: engine }), "installing the Java engine");
  const bench = join(ROOT, "bench/sdk/java");
  const classpathFile = join(bench, "target/classpath.txt");
  const build = ["-q", "-B", repo, "compile", "dependency:build-classpath", `-Dmdep.outputFile=${classpathFile}`];
  must(await run(mvn, build, { cwd: bench }), "building the Java benchmark");
  const classpath = `${join(bench, "target/classes")}:${readFileSync(classpathFile, "utf8").trim()}`;
  return run(javaBinary, ["-cp", classpath, "dev.vexil.bench.Bench", config, ...quick], { timeoutMs: 1_800_000 });
}

/** Runs one language's benchmark program; its stdout carries "RESULT {json}" lines. */
export function runLanguage(language: Language, config: string, quickRun: boolean): Promise<RunResult> {
  const quick = quickRun ? ["--quick"] : [];
  return { python, go, java }[language](config, quick);
}
