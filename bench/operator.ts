// Operator benchmark (not a test): kill-switch propagation from a spec patch to the
// evaluator's snapshot, cold-start reconcile of 10 000 flags, and the operator's RSS.
//
//   node bench/operator.ts [--flags 10000] [--flips 100]
//
// Starts its own etcd + kube-apiserver (test/k8s, built on first use) unless KUBECONFIG points
// at a cluster whose CRDs may be replaced. The operator runs as a child process
// (`node cli/main.ts operator`), as in production; the evaluator side is the real
// KubernetesSnapshotSource watching the ConfigMaps.
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { KubernetesSnapshotSource } from '../evaluator/sources/kubernetes.ts';
import { evaluate } from '../core/evaluate/evaluate.ts';
import { ensureBinaries } from '../test/k8s/build.ts';
import { startCluster, type Cluster } from '../test/k8s/cluster.ts';
import { kubectlOk } from '../test/k8s/helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const GROUP = { group: 'flags.vexil.dev', version: 'v1alpha1', plural: 'featureflags' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface OperatorBenchResult {
  flips: number;
  killSwitchMs: { p50: number; p99: number; max: number };
  flags: number;
  createMs: number;
  coldStartServedMs: number;
  coldStartStatusMs: number;
  operatorRssMiB: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function startOperatorProcess(kubeconfig: string, namespace: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'cli', 'main.ts'), 'operator', '--namespace', namespace, '--metrics-port', '0', '--log-level', 'warn'], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

async function createFlags(custom: CustomObjectsApi, namespace: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const name = `flag-${String(next++).padStart(5, '0')}`;
      const body = { apiVersion: 'flags.vexil.dev/v1alpha1', kind: 'FeatureFlag', metadata: { name, namespace }, spec: { description: 'bench' } };
      await custom.createNamespacedCustomObject({ ...GROUP, namespace, body });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Time from each kill-switch patch to the evaluator's snapshot answering the new value. */
async function measureKillSwitch(kubeconfig: string, custom: CustomObjectsApi, flips: number): Promise<number[]> {
  const namespace = 'bench-killswitch';
  await kubectlOk(['create', 'namespace', namespace], { kubeconfig });
  await custom.createNamespacedCustomObject({ ...GROUP, namespace, body: { apiVersion: 'flags.vexil.dev/v1alpha1', kind: 'FeatureFlag', metadata: { name: 'switch', namespace }, spec: {} } });
  const operator = startOperatorProcess(kubeconfig, namespace);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const source = new KubernetesSnapshotSource({ kubeConfig: kc, namespace, environment: 'production', settleMs: 0 });
  await source.start();
  const served = (): unknown => {
    const snapshot = source.current();
    return snapshot ? evaluate(snapshot, 'switch', { targetingKey: 'u' }).value : undefined;
  };
  await until(() => served() === true, 60_000, 'the first snapshot');
  const samples: number[] = [];
  for (let i = 0; i < flips; i++) {
    const killSwitch = i % 2 === 0;
    const started = performance.now();
    await custom.patchNamespacedCustomObject({ ...GROUP, namespace, name: 'switch', body: { spec: { killSwitch } } }, mergePatch);
    await until(() => served() === !killSwitch, 30_000, `flip ${i}`);
    samples.push(performance.now() - started);
  }
  await source.stop();
  operator.kill('SIGTERM');
  return samples;
}

async function measureColdStart(kubeconfig: string, custom: CustomObjectsApi, flags: number): Promise<Omit<OperatorBenchResult, 'flips' | 'killSwitchMs'>> {
  const namespace = 'bench-scale';
  await kubectlOk(['create', 'namespace', namespace], { kubeconfig });
  const createStarted = performance.now();
  await createFlags(custom, namespace, flags);
  const createMs = performance.now() - createStarted;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const source = new KubernetesSnapshotSource({ kubeConfig: kc, namespace, environment: 'production' });
  await source.start();
  const started = performance.now();
  const operator = startOperatorProcess(kubeconfig, namespace);
  await until(() => Object.keys(source.current()?.flags ?? {}).length === flags, 600_000, `${flags} flags served`);
  const coldStartServedMs = performance.now() - started;
  await until(async () => {
    const list = (await custom.listNamespacedCustomObject({ ...GROUP, namespace })) as { items: { metadata: { generation: number }; status?: { observedGeneration?: number } }[] };
    return list.items.every((item) => item.status?.observedGeneration === item.metadata.generation);
  }, 900_000, 'every status');
  const coldStartStatusMs = performance.now() - started;
  const operatorRssMiB = rssMiB(operator.pid ?? 0);
  await source.stop();
  operator.kill('SIGTERM');
  return { flags, createMs, coldStartServedMs, coldStartStatusMs, operatorRssMiB };
}

export async function runOperatorBench(options: { flags?: number; flips?: number } = {}): Promise<OperatorBenchResult> {
  let cluster: Cluster | undefined;
  let kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) {
    cluster = await startCluster({ binaries: await ensureBinaries(), controllerManager: false });
    kubeconfig = cluster.kubeconfig;
  }
  try {
    await kubectlOk(['apply', '-f', path.join(root, 'crds')], { kubeconfig });
    await kubectlOk(['wait', '--for=condition=Established', 'crd/featureflags.flags.vexil.dev'], { kubeconfig });
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const samples = (await measureKillSwitch(kubeconfig, custom, options.flips ?? 100)).sort((a, b) => a - b);
    const scale = await measureColdStart(kubeconfig, custom, options.flags ?? 10_000);
    return {
      flips: samples.length,
      killSwitchMs: { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) ?? NaN },
      ...scale,
    };
  } finally {
    await cluster?.stop();
  }
}

function printTable(result: OperatorBenchResult): void {
  const rows: [string, string][] = [
    [`kill switch → evaluator, p50 (${result.flips} flips)`, `${result.killSwitchMs.p50.toFixed(1)} ms`],
    ['kill switch → evaluator, p99', `${result.killSwitchMs.p99.toFixed(1)} ms`],
    ['kill switch → evaluator, max', `${result.killSwitchMs.max.toFixed(1)} ms`],
    [`create ${result.flags} flags (32 parallel API calls)`, `${(result.createMs / 1000).toFixed(1)} s`],
    [`cold start → ${result.flags} flags served`, `${(result.coldStartServedMs / 1000).toFixed(1)} s`],
    [`cold start → every status written`, `${(result.coldStartStatusMs / 1000).toFixed(1)} s`],
    [`operator RSS at ${result.flags} flags`, `${result.operatorRssMiB.toFixed(0)} MiB`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`| ${'measure'.padEnd(width)} | value |\n|${'-'.repeat(width + 2)}|-------|\n`);
  for (const [name, value] of rows) process.stdout.write(`| ${name.padEnd(width)} | ${value} |\n`);
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { flags: { type: 'string' }, flips: { type: 'string' } } });
  const result = await runOperatorBench({
    ...(values.flags ? { flags: Number(values.flags) } : {}),
    ...(values.flips ? { flips: Number(values.flips) } : {}),
  });
  printTable(result);
}
