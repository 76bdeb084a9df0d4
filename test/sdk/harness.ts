// What every SDK toolchain test shares: a live evaluator on 127.0.0.1 serving a private copy of
// test/sdk/flags (the tests flip a kill switch in it) behind a bearer token, SDK generation into
// a temp directory, toolchain lookup (a missing toolchain skips loudly), and running commands
// with their output kept for the failure message (the toolchain helpers are the engine tests').
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { FeatureFlagsInteraction } from "../../core/facade/interaction.ts";
import type { GeneratedSdk, SdkOptions } from "../../core/facade/sdk/generate.ts";
import { DirectoryStorage } from "../../core/facade/storage/directory.ts";
import type { EventStore } from "../../evaluator/events.ts";
import { createEvaluatorServer } from "../../evaluator/server.ts";
import { DirectorySnapshotSource } from "../../evaluator/sources/directory.ts";
import { run as runCommand, tail } from "./engines/toolchains.ts";

export { findBinary, mavenRepository, pythonEnv } from "./engines/toolchains.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FLAGS_FIXTURE = join(ROOT, "test/sdk/flags");
export const TOKEN = "sdk-test-token";

export interface LiveEvaluator {
  url: string;
  token: string;
  /** the directory the evaluator serves: tests edit payments.yaml in it */
  flagsDir: string;
  events: EventStore;
  close(): Promise<void>;
}

export async function startEvaluator(): Promise<LiveEvaluator> {
  const dir = await mkdtemp(join(tmpdir(), "vexil-sdk-flags-"));
  await cp(FLAGS_FIXTURE, dir, { recursive: true });
  const source = new DirectorySnapshotSource({ dir, namespace: "default", environment: "production", debounceMs: 50 });
  const server = createEvaluatorServer({ source, authTokens: [TOKEN], defaultMetrics: false, heartbeatMs: 5000 });
  await source.start();
  const running = await server.listen(0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${running.port}`,
    token: TOKEN,
    flagsDir: dir,
    events: server.events,
    async close() {
      await running.close();
      await source.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The SDK for the fixture flags, written under `out`. */
export async function generateInto(language: string, out: string, options: SdkOptions = {}): Promise<GeneratedSdk> {
  const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(FLAGS_FIXTURE) });
  try {
    const sdk = await flags.generateSdk(language, options);
    for (const file of sdk.files) {
      await mkdir(dirname(join(out, file.path)), { recursive: true });
      await writeFile(join(out, file.path), file.contents);
    }
    return sdk;
  } finally {
    await flags.close();
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run a command; rejects with its output when it exits non-zero or times out. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCommand(command, args, { ...options, env: { ...process.env, ...options.env } });
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${tail(result, 80)}`);
  return result;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vexil-sdk-${prefix}-`));
}

/** The events the evaluator received, for the tracking checks every language makes. */
export function trackedEvents(events: EventStore) {
  return events.recent(1000).map(({ timestamp: _t, ...event }) => event);
}

/** The environment a language's own tests read to reach the evaluator. */
export function sdkTestEnv(evaluator: LiveEvaluator): Record<string, string> {
  return { VEXIL_URL: evaluator.url, VEXIL_TOKEN: evaluator.token, VEXIL_FLAGS_DIR: evaluator.flagsDir };
}

/** payments.yaml with the kill switch on, as the SRE's kubectl patch would leave it. */
export const KILL_SWITCH = { file: "payments.yaml", from: "killSwitch: false", to: "killSwitch: true" };
