// vitest globalSetup for the `integration` project: builds (once, cached) and starts a real
// etcd + kube-apiserver + kube-controller-manager, or uses an existing cluster when
// VEXIL_KUBECONFIG is set (scripts/kind.sh). Tests get the kubeconfig path through
// inject('kubeconfig') and process.env.KUBECONFIG, and a kubectl through process.env.VEXIL_KUBECTL.
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBinaries } from "./build.ts";
import { startCluster, type Cluster } from "./cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the kubeconfig of the cluster the integration tests run against. */
    kubeconfig: string;
    /** kubectl binary matching the test cluster (or `kubectl` from PATH for VEXIL_KUBECONFIG). */
    kubectl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.VEXIL_KUBECONFIG;
  let cluster: Cluster | undefined;
  let kubeconfig: string;
  let kubectl: string;
  if (external) {
    kubeconfig = path.resolve(external);
    kubectl = process.env.VEXIL_KUBECTL || "kubectl";
    process.stderr.write(`[vexil k8s] using existing cluster from VEXIL_KUBECONFIG=${kubeconfig}\n`);
  } else {
    const binaries = await ensureBinaries();
    cluster = await startCluster({ binaries });
    process.stderr.write(
      `[vexil k8s] test cluster ${cluster.server} ready in ${(cluster.readyAfterMs / 1000).toFixed(1)}s ` +
        `(logs: ${path.join(cluster.dataDir, "logs")})\n`,
    );
    kubeconfig = cluster.kubeconfig;
    kubectl = binaries.kubectl;
  }
  // Workers are started after global setup and inherit these.
  process.env.KUBECONFIG = kubeconfig;
  process.env.VEXIL_KUBECTL = kubectl;
  project.provide("kubeconfig", kubeconfig);
  project.provide("kubectl", kubectl);

  return async () => {
    await cluster?.stop();
  };
}
