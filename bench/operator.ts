// Operator benchmark (not a test): kill-switch propagation from a spec patch to the
// evaluator's snapshot, cold-start reconcile of 10 000 flags (served, every status written),
// the operator's memory (RSS, peak RSS, V8 heap used) then and after it settled, and a
// restart over correct statuses (which must write nothing).
//
//   node bench/operator.ts [--flags 10000] [--flips 100] [--settle 30]
//                          [--node-options=--max-semi-space-size=8] [--operator-args=--write-qps=0]
//
// Starts its own etcd + kube-apiserver (test/k8s, built on first use) unless KUBECONFIG points
// at a cluster whose CRDs may be replaced. The operator runs as a child process
// (`node cli/main.ts operator`), as in production; the evaluator side is the real
// KubernetesSnapshotSource watching the ConfigMaps.
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { KubernetesSnapshotSource } from "../evaluator/sources/kubernetes.ts";
import { evaluate } from "../core/evaluate/evaluate.ts";
import { ensureBinaries } from "../test/k8s/build.ts";
import { startCluster, type Cluster } from "../test/k8s/cluster.ts";
import { kubectlOk } from "../test/k8s/helpers.ts";
import { startOperatorProcess, type OperatorProcess } from "./operator-process.ts";

const root = path.resolve(import.meta.dirname, "..");
const GROUP = { group: "flags.vexil.dev", version: "v1alpha1", plural: "featureflags" };
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export interface OperatorBenchResult {
  flips: number;
  killSwitchMs: { p50: number; p99: number; max: number };
  flags: number;
  createMs: number;
  coldStartServedMs: number;
  coldStartStatusMs: number;
  /** status patches and Created Events during the cold start */
  coldStartWrites: { statusPatches: number; createdEvents: number };
  /** when every status was written */
  atStatusDone: MemoryFigures;
  /** after `settleSeconds` with nothing to do */
  settled: MemoryFigures;
  settleSeconds: number;
  /** a second operator started over the same, already correct, resources */
  restart: { readyMs: number; statusPatches: number; events: number; rssMiB: number };
  nodeOptions: string[];
  operatorArgs: string[];
}

export interface MemoryFigures {
  rssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
}

const MiB = 1024 * 1024;

async function memoryOf(operator: OperatorProcess): Promise<MemoryFigures> {
  const metrics = await operator.metrics();
  return {
    ...operator.memory(),
    heapUsedMiB: (metrics.get("vexil_operator_nodejs_heap_size_used_bytes") ?? NaN) / MiB,
    heapTotalMiB: (metrics.get("vexil_operator_nodejs_heap_size_total_bytes") ?? NaN) / MiB,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  pollMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function createFlags(custom: CustomObjectsApi, namespace: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const name = `flag-${String(next++).padStart(5, "0")}`;
      const body = {
        apiVersion: "flags.vexil.dev/v1alpha1",
        kind: "FeatureFlag",
        metadata: { name, namespace },
        spec: { description: "bench" },
      };
      await custom.createNamespacedCustomObject({ ...GROUP, namespace, body });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Time from each kill-switch patch to the evaluator's snapshot answering the new value. */
async function measureKillSwitch(kubeconfig: string, custom: CustomObjectsApi, flips: number): Promise<number[]> {
  const namespace = `bench-killswitch-${Date.now().toString(36)}`;
  await kubectlOk(["create", "namespace", namespace], { kubeconfig });
  await custom.createNamespacedCustomObject({
    ...GROUP,
    namespace,
    body: {
      apiVersion: "flags.vexil.dev/v1alpha1",
      kind: "FeatureFlag",
      metadata: { name: "switch", namespace },
      spec: {},
    },
  });
  const operator = await startOperatorProcess(kubeconfig, namespace);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const source = new KubernetesSnapshotSource({ kubeconfig: kc, namespace, environment: "production", settleMs: 0 });
  await source.start();
  const served = (): unknown => {
    const snapshot = source.current();
    return snapshot ? evaluate(snapshot, "switch", { targetingKey: "u" }).value : undefined;
  };
  await until(() => served() === true, 60_000, "the first snapshot");
  const samples: number[] = [];
  for (let i = 0; i < flips; i++) {
    const killSwitch = i % 2 === 0;
    const started = performance.now();
    await custom.patchNamespacedCustomObject(
      { ...GROUP, namespace, name: "switch", body: { spec: { killSwitch } } },
      mergePatch,
    );
    await until(() => served() === !killSwitch, 30_000, `flip ${i}`);
    samples.push(performance.now() - started);
  }
  await source.stop();
  await operator.stop();
  return samples;
}

interface ScaleOptions {
  flags: number;
  settleSeconds: number;
  nodeOptions: string[];
  operatorArgs: string[];
}

type ScaleResult = Omit<OperatorBenchResult, "flips" | "killSwitchMs">;

/** Every flag's status names its current generation; polled gently (a list of 10 000 objects is not free). */
async function allStatusesWritten(
  custom: CustomObjectsApi,
  namespace: string,
  operator: OperatorProcess,
  flags: number,
): Promise<void> {
  await until(
    async () => ((await operator.metrics()).get("vexil_operator_status_patches_total") ?? 0) >= flags,
    900_000,
    "status patches",
  );
  await until(
    async () => {
      const list = (await custom.listNamespacedCustomObject({ ...GROUP, namespace })) as {
        items: { metadata: { generation: number }; status?: { observedGeneration?: number } }[];
      };
      return list.items.every((item) => item.status?.observedGeneration === item.metadata.generation);
    },
    900_000,
    "every status",
    1000,
  );
}

async function writesOf(
  operator: OperatorProcess,
): Promise<{ statusPatches: number; events: number; createdEvents: number }> {
  const metrics = await operator.metrics();
  return {
    statusPatches: metrics.get("vexil_operator_status_patches_total") ?? 0,
    events: metrics.get("vexil_operator_events_total") ?? 0,
    createdEvents: metrics.get('vexil_operator_events_total{reason="Created"}') ?? 0,
  };
}

/** A second operator over resources whose statuses are correct: it should list, compile, and write nothing. */
async function measureRestart(
  kubeconfig: string,
  namespace: string,
  options: ScaleOptions,
): Promise<ScaleResult["restart"]> {
  const started = performance.now();
  const operator = await startOperatorProcess(kubeconfig, namespace, options.nodeOptions, options.operatorArgs);
  await until(
    async () => ((await operator.metrics()).get("vexil_operator_reconciles_total") ?? 0) >= 1,
    120_000,
    "the first reconcile after the restart",
  );
  const readyMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5000)); // room for any status write or Event to show
  const { statusPatches, events } = await writesOf(operator);
  const { rssMiB } = operator.memory();
  await operator.stop();
  return { readyMs, statusPatches, events, rssMiB };
}

async function measureColdStart(
  kubeconfig: string,
  custom: CustomObjectsApi,
  options: ScaleOptions,
): Promise<ScaleResult> {
  const namespace = `bench-scale-${Date.now().toString(36)}`;
  await kubectlOk(["create", "namespace", namespace], { kubeconfig });
  const createStarted = performance.now();
  await createFlags(custom, namespace, options.flags);
  const createMs = performance.now() - createStarted;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const source = new KubernetesSnapshotSource({ kubeconfig: kc, namespace, environment: "production" });
  await source.start();
  const started = performance.now();
  const operator = await startOperatorProcess(kubeconfig, namespace, options.nodeOptions, options.operatorArgs);
  await until(
    () => Object.keys(source.current()?.flags ?? {}).length === options.flags,
    600_000,
    `${options.flags} flags served`,
  );
  const coldStartServedMs = performance.now() - started;
  await source.stop();
  await allStatusesWritten(custom, namespace, operator, options.flags);
  const coldStartStatusMs = performance.now() - started;
  const atStatusDone = await memoryOf(operator);
  const { statusPatches, createdEvents } = await writesOf(operator);
  await new Promise((resolve) => setTimeout(resolve, options.settleSeconds * 1000));
  const settled = await memoryOf(operator);
  await operator.stop();
  const restart = await measureRestart(kubeconfig, namespace, options);
  return {
    flags: options.flags,
    createMs,
    coldStartServedMs,
    coldStartStatusMs,
    coldStartWrites: { statusPatches, createdEvents },
    atStatusDone,
    settled,
    settleSeconds: options.settleSeconds,
    restart,
    nodeOptions: options.nodeOptions,
    operatorArgs: options.operatorArgs,
  };
}

export interface OperatorBenchOptions {
  flags?: number;
  flips?: number;
  /** seconds to leave the operator idle before the settled memory reading; default 30 */
  settleSeconds?: number;
  /** extra node options for the operator process, e.g. --max-semi-space-size=8 */
  nodeOptions?: string[];
  /** extra `vexil operator` options for the cold start and restart, e.g. --write-qps=0 */
  operatorArgs?: string[];
}

export async function runOperatorBench(options: OperatorBenchOptions = {}): Promise<OperatorBenchResult> {
  let cluster: Cluster | undefined;
  let kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) {
    cluster = await startCluster({ binaries: await ensureBinaries(), controllerManager: false });
    kubeconfig = cluster.kubeconfig;
  }
  try {
    await kubectlOk(["apply", "-f", path.join(root, "crds")], { kubeconfig });
    await kubectlOk(["wait", "--for=condition=Established", "crd/featureflags.flags.vexil.dev"], { kubeconfig });
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const samples = (await measureKillSwitch(kubeconfig, custom, options.flips ?? 100)).sort((a, b) => a - b);
    const scale = await measureColdStart(kubeconfig, custom, {
      flags: options.flags ?? 10_000,
      settleSeconds: options.settleSeconds ?? 30,
      nodeOptions: options.nodeOptions ?? [],
      operatorArgs: options.operatorArgs ?? [],
    });
    return {
      flips: samples.length,
      killSwitchMs: { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) ?? NaN },
      ...scale,
    };
  } finally {
    await cluster?.stop();
  }
}

function memoryRows(label: string, figures: MemoryFigures): [string, string][] {
  return [
    [`operator RSS ${label}`, `${figures.rssMiB.toFixed(0)} MiB`],
    [
      `operator V8 heap used / total ${label}`,
      `${figures.heapUsedMiB.toFixed(0)} / ${figures.heapTotalMiB.toFixed(0)} MiB`,
    ],
  ];
}

function printTable(result: OperatorBenchResult): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const rows: [string, string][] = [
    [`kill switch → evaluator, p50 (${result.flips} flips)`, `${result.killSwitchMs.p50.toFixed(1)} ms`],
    ["kill switch → evaluator, p99", `${result.killSwitchMs.p99.toFixed(1)} ms`],
    ["kill switch → evaluator, max", `${result.killSwitchMs.max.toFixed(1)} ms`],
    [`create ${result.flags} flags (32 parallel API calls)`, seconds(result.createMs)],
    [`cold start → ${result.flags} flags served`, seconds(result.coldStartServedMs)],
    ["cold start → every status written", seconds(result.coldStartStatusMs)],
    [
      "cold start status patches / Created Events",
      `${result.coldStartWrites.statusPatches} / ${result.coldStartWrites.createdEvents}`,
    ],
    ...memoryRows("when every status was written", result.atStatusDone),
    ["operator peak RSS during the cold start", `${result.atStatusDone.peakRssMiB.toFixed(0)} MiB`],
    ...memoryRows(`after ${result.settleSeconds} s idle`, result.settled),
    ["restart over correct statuses → first reconcile", seconds(result.restart.readyMs)],
    ["restart: status patches / Events", `${result.restart.statusPatches} / ${result.restart.events}`],
    ["restart: operator RSS", `${result.restart.rssMiB.toFixed(0)} MiB`],
  ];
  if (result.nodeOptions.length > 0) rows.push(["operator node options", result.nodeOptions.join(" ")]);
  if (result.operatorArgs.length > 0) rows.push(["operator options", result.operatorArgs.join(" ")]);
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`| ${"measure".padEnd(width)} | value |\n|${"-".repeat(width + 2)}|-------|\n`);
  for (const [name, value] of rows) process.stdout.write(`| ${name.padEnd(width)} | ${value} |\n`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      flags: { type: "string" },
      flips: { type: "string" },
      settle: { type: "string" },
      "node-options": { type: "string" },
      "operator-args": { type: "string" },
    },
  });
  const result = await runOperatorBench({
    ...(values.flags ? { flags: Number(values.flags) } : {}),
    ...(values.flips ? { flips: Number(values.flips) } : {}),
    ...(values.settle ? { settleSeconds: Number(values.settle) } : {}),
    ...(values["node-options"] ? { nodeOptions: values["node-options"].split(/\s+/).filter(Boolean) } : {}),
    ...(values["operator-args"] ? { operatorArgs: values["operator-args"].split(/\s+/).filter(Boolean) } : {}),
  });
  printTable(result);
}
