// The Kubernetes source against an API server that is not there. The happy path runs against
// a real kube-apiserver in the integration project; this proves the failure path: no snapshot,
// not ready, and watch restarts with growing delays instead of a tight loop or a crash.
import { createServer } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { createEvaluatorServer } from "../../../evaluator/server.ts";
import { KubernetesSnapshotSource } from "../../../evaluator/sources/kubernetes.ts";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "gone", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "gone", cluster: "gone", user: "u" }],
    currentContext: "gone",
  });
  return kubeConfig;
}

describe("KubernetesSnapshotSource with an unreachable API server", () => {
  let source: KubernetesSnapshotSource | undefined;
  afterEach(async () => source?.stop());

  it("stays unready and restarts the watch with exponential backoff", async () => {
    const kubeConfig = kubeConfigFor(`http://127.0.0.1:${await closedPort()}`);
    source = new KubernetesSnapshotSource({
      kubeconfig: kubeConfig,
      namespace: "shop",
      environment: "production",
      initialBackoffMs: 20,
    });
    const evaluator = createEvaluatorServer({ source, defaultMetrics: false });
    const restarts: number[] = [];
    source.on("watchRestart", () => restarts.push(Date.now()));
    await source.start();
    await expect.poll(() => restarts.length, { timeout: 5000 }).toBeGreaterThanOrEqual(5);
    expect(source.current()).toBeUndefined();
    const gaps = restarts.slice(1).map((t, i) => t - (restarts[i] as number));
    // 20 ms doubling with ±20 % jitter: the fourth delay is 160 ms ± 32, the first 20 ms ± 4
    expect(gaps[3]).toBeGreaterThanOrEqual(125);
    expect(gaps[3]).toBeGreaterThan(gaps[0] as number);
    const metrics = await evaluator.metrics.registry.getSingleMetricAsString("vexil_watch_restarts_total");
    expect(metrics).toMatch(new RegExp(`vexil_watch_restarts_total ${restarts.length}\\b`));
  });

  it("reports where it reads from", () => {
    source = new KubernetesSnapshotSource({
      kubeconfig: kubeConfigFor("http://127.0.0.1:1"),
      namespace: "shop",
      environment: "staging",
    });
    expect(source.description).toBe("kubernetes ConfigMaps shop/vexil-snapshot-staging");
  });
});
