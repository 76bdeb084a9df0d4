// Toolchains for the engine ports' conformance tests: finding a binary (a missing one skips its
// test loudly), a Python virtualenv with pinned packages cached outside the repo, the Maven
// repository cached there too, and running a command with its output kept for failure messages.
// Cache: ${VEXIL_CACHE_DIR:-~/.cache/vexil}/ (the same root as the Kubernetes test binaries).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { cacheRoot } from "../../k8s/build.ts";

export const ROOT = resolve(import.meta.dirname, "../../..");

/** The Python engine's pinned packages (runtime: google-re2, mmh3; checks: mypy, ruff). */
export const PYTHON_ENGINE_REQUIREMENTS = ["google-re2==1.1.20251105", "mmh3==5.3.1", "mypy==2.4.1", "ruff==0.17.6"];
export const VECTORS_DIR = join(ROOT, "test/vectors");

/** The path of a binary on PATH, or undefined after a loud message saying the test is skipped. */
export function findBinary(binary: string, what: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  const line = "!".repeat(100);
  process.stderr.write(
    `\n${line}\n!!! SKIPPING ${what}: "${binary}" is not on PATH. CI has it; install it to run this test.\n${line}\n\n`,
  );
  return undefined;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (never rejects): exit code, output and duration. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 600_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
      },
    );
  });
}

/** Output for an assertion message: the command's last lines. */
export function tail(result: RunResult, lines = 60): string {
  return `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
}

async function withDirLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() > deadline)
        throw new Error(`${lock} is still held after 15 minutes; remove it if stale`, { cause: error });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A virtualenv holding exactly `requirements` (pinned), created once under the cache root and
 * reused: its directory name hashes the requirements and the interpreter version. Returns the
 * venv's python. Throws, with pip's output, when creating it fails.
 */
export async function pythonEnv(python: string, name: string, requirements: string[]): Promise<string> {
  const version = (await run(python, ["--version"])).stdout.trim();
  const hash = createHash("sha256")
    .update(`${version}\n${requirements.join("\n")}`)
    .digest("hex")
    .slice(0, 12);
  const dir = join(cacheRoot(), `${name}-${hash}`);
  const venvPython = join(dir, "bin", "python");
  const complete = join(dir, ".complete");
  if (existsSync(complete)) return venvPython;
  mkdirSync(cacheRoot(), { recursive: true });
  return withDirLock(`${dir}.lock`, async () => {
    if (existsSync(complete)) return venvPython;
    rmSync(dir, { recursive: true, force: true });
    const steps: [string, string[]][] = [
      [python, ["-m", "venv", dir]],
      [venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...requirements]],
    ];
    for (const [command, args] of steps) {
      const result = await run(command, args);
      if (result.code !== 0) throw new Error(`creating ${dir} failed: ${command} ${args.join(" ")}\n${tail(result)}`);
    }
    writeFileSync(complete, `${requirements.join("\n")}\n`);
    return venvPython;
  });
}

/** The Maven repository shared by the project's Java builds, outside the repo. */
export function mavenRepository(): string {
  return join(cacheRoot(), "maven-repository");
}

/** "<lang> engine: evaluation N/M passed" and the bucketing line, as the runners print them. */
export function passCounts(output: string, language: string): { evaluation?: string; bucketing?: string } {
  const find = (what: string) => new RegExp(`${language} engine: ${what} (\\d+/\\d+) passed`).exec(output)?.[1];
  return { evaluation: find("evaluation"), bucketing: find("bucketing") };
}

/**
 * The environment for Go builds: the module and build caches outside the repo, under the cache
 * root (go-modules/, go-build/), the local toolchain only, no workspace, and go.mod/go.sum as
 * written (a missing requirement fails instead of being added).
 */
export function goEnv(): Record<string, string> {
  return {
    GOMODCACHE: join(cacheRoot(), "go-modules"),
    GOCACHE: join(cacheRoot(), "go-build"),
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    GOFLAGS: "-mod=readonly",
  };
}
