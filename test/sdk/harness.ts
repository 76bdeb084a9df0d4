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
import { SqliteEventStore } from "../../event-store/sqlite.ts";
import type { EventRecord, EventStore } from "../../event-store/store.ts";
import { createEvaluatorServer } from "../../evaluator/server.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { DirectorySnapshotSource } from "../../evaluator/sources/directory.ts";
import { StaticSnapshotSource } from "../../evaluator/sources/source.ts";
import { run as runCommand, tail } from "./engines/toolchains.ts";

export { findBinary, goEnv, mavenRepository, pythonEnv } from "./engines/toolchains.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FLAGS_FIXTURE = join(ROOT, "test/sdk/flags");
export const TOKEN = "sdk-test-token";

export interface LiveEvaluator {
  port: number;
  url: string;
  token: string;
  /** the directory the evaluator serves: tests edit payments.yaml in it */
  flagsDir: string;
  /** every record the evaluator wrote to its event store, in order */
  events: EventRecord[];
  close(): Promise<void>;
}

/** The real SQLite store, keeping a copy of what the evaluator writes so tests can read it back. */
function recordingStore(inner: EventStore, written: EventRecord[]): EventStore {
  return {
    description: inner.description,
    write: async (records) => {
      await inner.write(records);
      written.push(...records);
    },
    aggregate: (query) => inner.aggregate(query),
    flagVariantUsers: (namespace, flag) => inner.flagVariantUsers(namespace, flag),
    putExperiments: (namespace, definitions) => inner.putExperiments(namespace, definitions),
    experiments: (namespace) => inner.experiments(namespace),
    usage: (query) => inner.usage(query),
    close: () => inner.close(),
  };
}

export interface EvaluatorOptions {
  /** the flags directory to serve a private copy of (default test/sdk/flags) */
  flags?: string;
  /** serve this fixed snapshot instead of a directory (the shared vectors') */
  snapshot?: Snapshot;
  /** listen here (a restarted evaluator takes its predecessor's port); default: any free port */
  port?: number;
}

export async function startEvaluator(options: EvaluatorOptions = {}): Promise<LiveEvaluator> {
  const dir = await mkdtemp(join(tmpdir(), "vexil-sdk-flags-"));
  await cp(options.flags ?? FLAGS_FIXTURE, dir, { recursive: true });
  const source =
    options.snapshot === undefined
      ? new DirectorySnapshotSource({ dir, namespace: "default", environment: "production", debounceMs: 50 })
      : new StaticSnapshotSource(options.snapshot);
  const stateDir = await mkdtemp(join(tmpdir(), "vexil-sdk-events-"));
  const sqlite = new SqliteEventStore(join(stateDir, "events.db"));
  const events: EventRecord[] = [];
  const server = createEvaluatorServer({
    source,
    authTokens: [TOKEN],
    defaultMetrics: false,
    heartbeatMs: 5000,
    eventStore: recordingStore(sqlite, events),
    eventBuffer: { flushIntervalMs: 10 },
  });
  await source.start();
  const running = await server.listen(options.port ?? 0, "127.0.0.1");
  return {
    port: running.port,
    url: `http://127.0.0.1:${running.port}`,
    token: TOKEN,
    flagsDir: dir,
    events,
    async close() {
      await running.close();
      await source.stop();
      await sqlite.close();
      await rm(stateDir, { recursive: true, force: true });
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

/** The metric events (conversions, values) the evaluator stored for one user, once at least `count` arrived. */
export async function trackedEvents(evaluator: LiveEvaluator, targetingKey: string, count: number) {
  const deadline = Date.now() + 5000;
  const mine = () =>
    evaluator.events.flatMap((r) =>
      r.kind === "metric" && r.targetingKey === targetingKey ? [{ event: r.event, value: r.value }] : [],
    );
  while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return mine();
}

/** The environment a language's own tests read to reach the evaluator. */
export function sdkTestEnv(evaluator: LiveEvaluator): Record<string, string> {
  return { VEXIL_URL: evaluator.url, VEXIL_TOKEN: evaluator.token, VEXIL_FLAGS_DIR: evaluator.flagsDir };
}

/** payments.yaml with the kill switch on, as the SRE's kubectl patch would leave it. */
export const KILL_SWITCH = { file: "payments.yaml", from: "killSwitch: false", to: "killSwitch: true" };

/** The exposures the evaluator stored for users whose key starts with `prefix`, once at least `count` arrived. */
export async function exposuresOf(evaluator: LiveEvaluator, prefix: string, count: number) {
  const deadline = Date.now() + 5000;
  const mine = () =>
    evaluator.events.flatMap((r) =>
      r.kind === "exposure" && r.targetingKey.startsWith(prefix)
        ? [{ targetingKey: r.targetingKey, experiment: r.experiment, flag: r.flag, variant: r.variant }]
        : [],
    );
  while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return mine();
}
