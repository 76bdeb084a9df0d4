// The API server goes away mid-run and comes back: the operator's watches back off and
// resume, and changes made afterwards are served. Runs its own etcd + kube-apiserver so
// restarting the API server does not disturb the other test files.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../operator/operator.ts";
import { ensureBinaries } from "../k8s/build.ts";
import { startCluster, type Cluster } from "../k8s/cluster.ts";
import { killApiserver } from "../k8s/outage.ts";
import { kubectlOk } from "../k8s/helpers.ts";
import {
  flagYaml,
  kubeConfig,
  repoRoot,
  startEvaluator,
  startTestOperator,
  waitFor,
  waitForValue,
  type TestEvaluator,
} from "./operator-helpers.ts";

describe("operator: API server restart", () => {
  let cluster: Cluster;
  let operator: OperatorHandle;
  let evaluator: TestEvaluator;
  const ns = "restart";
  const k = (args: string[], input?: string): Promise<string> =>
    kubectlOk(args, { kubeconfig: cluster.kubeconfig, namespace: ns, ...(input ? { input } : {}) });

  beforeAll(async () => {
    cluster = await startCluster({ binaries: await ensureBinaries(), controllerManager: false });
    await kubectlOk(["apply", "-f", path.join(repoRoot, "crds")], { kubeconfig: cluster.kubeconfig });
    await kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", "crd/featureflags.flags.vexil.dev"], {
      kubeconfig: cluster.kubeconfig,
    });
    await kubectlOk(["create", "namespace", ns], { kubeconfig: cluster.kubeconfig });
  });

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    await cluster?.stop();
  });

  it("converges after the API server was down", async () => {
    operator = await startTestOperator("apiserver", { kubeconfig: kubeConfig(cluster.kubeconfig), namespaces: [ns] });
    evaluator = await startEvaluator(ns, "production", cluster.kubeconfig);
    await k(["apply", "-f", "-"], flagYaml("checkout", "description: survives restarts"));
    await waitForValue(evaluator, "checkout", true);

    const restart = await killApiserver(cluster);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // stay down long enough for watches to fail
    await restart();
    await k(["patch", "featureflag", "checkout", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}']);
    await k(["apply", "-f", "-"], flagYaml("after-restart", "description: created after the restart"));
    await waitForValue(evaluator, "checkout", false, 30_000);
    await waitForValue(evaluator, "after-restart", true, 30_000);
    const restarts = (await operator.metrics.watchRestarts.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(restarts).toBeGreaterThan(0);
    await waitFor(async () => {
      const flag = JSON.parse(await k(["get", "featureflag", "after-restart", "-o", "json"])) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      return flag.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    }, 15_000);
  });
});
