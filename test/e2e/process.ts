// Running commands and reporting progress for the real-node end-to-end test.
import { spawn, type ChildProcess } from "node:child_process";
import { formatDuration } from "../k8s/build.ts";

const started = Date.now();

export function log(message: string): void {
  const at = formatDuration(Date.now() - started).padStart(6);
  process.stderr.write(`[vexil e2e ${at}] ${message}\n`);
}

/** One timed step of the run: "==> what" ... "ok what (12s)". The timings end up in the summary. */
export const timings: Array<{ what: string; ms: number }> = [];

export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const begin = Date.now();
  log(`==> ${what}`);
  const result = await fn();
  const ms = Date.now() - begin;
  timings.push({ what, ms });
  log(`ok  ${what} (${formatDuration(ms)})`);
  return result;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Print the command's output as it comes (long builds) instead of only on failure. */
  stream?: boolean;
  input?: string;
}

const running = new Set<ChildProcess>();

/** Kills the commands still running (an interrupted run must not leave a `helm --wait` behind). */
export function killCommands(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Runs a command to completion; resolves with its stdout, rejects with its output's tail. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      output = (output + chunk.toString()).slice(-8000);
      if (options.stream) process.stderr.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      if (options.stream) process.stderr.write(chunk);
    });
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code) => {
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.trim()}`));
    });
    if (child.stdin) {
      child.stdin.on("error", () => undefined); // a command that exits without reading its input
      child.stdin.end(options.input);
    }
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${formatDuration(timeoutMs)} waiting for ${what}${lastError ? `: ${lastError}` : ""}`,
      );
    }
    await sleep(250);
  }
}
