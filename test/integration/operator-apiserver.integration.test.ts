// The API server goes away mid-run and comes back: the operator's watches back off and
// resume, and changes made afterwards are served. Runs its own etcd + kube-apiserver so
// restarting the API server does not disturb the other test files.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../../operator/operator.ts';
import { ensureBinaries } from '../k8s/build.ts';
import { processAlive, startCluster, type Cluster } from '../k8s/cluster.ts';
import { kubectl, kubectlOk } from '../k8s/helpers.ts';
import { flagYaml, kubeConfig, repoRoot, startEvaluator, startTestOperator, waitFor, waitForValue, type TestEvaluator } from './operator-helpers.ts';

describe('operator: API server restart', () => {
  let cluster: Cluster;
  let restarted: ChildProcess | undefined;
  let operator: OperatorHandle;
  let evaluator: TestEvaluator;
  const ns = 'restart';
  const k = (args: string[], input?: string): Promise<string> =>
    kubectlOk(args, { kubeconfig: cluster.kubeconfig, namespace: ns, ...(input ? { input } : {}) });

  beforeAll(async () => {
    cluster = await startCluster({ binaries: await ensureBinaries(), controllerManager: false });
    await kubectlOk(['apply', '-f', path.join(repoRoot, 'crds')], { kubeconfig: cluster.kubeconfig });
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/featureflags.flags.vexil.dev'], { kubeconfig: cluster.kubeconfig });
    await kubectlOk(['create', 'namespace', ns], { kubeconfig: cluster.kubeconfig });
  });

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    restarted?.kill('SIGKILL');
    await cluster?.stop();
  });

  /** Kills kube-apiserver and starts it again with the same command line (etcd keeps the data). */
  async function restartApiserver(downMs: number): Promise<void> {
    const pid = cluster.pids.apiserver;
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // SIGKILL: an abrupt loss (a graceful stop waits for open watches to drain)
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !processAlive(pid), 20_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    const log = fs.openSync(cluster.logs.apiserver, 'a');
    restarted = spawn(args[0] ?? cluster.binaries.apiserver, args.slice(1), { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    await waitFor(async () => (await kubectl(['get', '--raw', '/readyz'], { kubeconfig: cluster.kubeconfig, timeoutMs: 3000 })).code === 0, 60_000, 250);
  }

  it('converges after the API server was down', async () => {
    operator = await startTestOperator('apiserver', { kubeConfig: kubeConfig(cluster.kubeconfig), namespaces: [ns] });
    evaluator = await startEvaluator(ns, 'production', cluster.kubeconfig);
    await k(['apply', '-f', '-'], flagYaml('checkout', 'description: survives restarts'));
    await waitForValue(evaluator, 'checkout', true);

    await restartApiserver(3000);
    await k(['patch', 'featureflag', 'checkout', '--type', 'merge', '-p', '{"spec":{"killSwitch":true}}']);
    await k(['apply', '-f', '-'], flagYaml('after-restart', 'description: created after the restart'));
    await waitForValue(evaluator, 'checkout', false, 30_000);
    await waitForValue(evaluator, 'after-restart', true, 30_000);
    const restarts = (await operator.metrics.watchRestarts.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(restarts).toBeGreaterThan(0);
    await waitFor(async () => {
      const flag = JSON.parse(await k(['get', 'featureflag', 'after-restart', '-o', 'json'])) as { status?: { conditions?: { type: string; status: string }[] } };
      return flag.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    }, 15_000);
  });
});
