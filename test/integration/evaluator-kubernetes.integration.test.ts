// `vexil serve --kubernetes` against a real API server, without the operator: the test writes
// the snapshot ConfigMaps itself (encodeSnapshot, the operator's own encoder) in the order and
// the broken states the operator and the cluster can produce, and checks what the evaluator
// serves. Runs its own etcd + kube-apiserver so that killing the API server does not disturb
// the other test files.
import { CoreV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../core/compile/compile.ts";
import { parseManifests } from "../../core/manifest/parse.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { createEvaluatorServer, type RunningEvaluator } from "../../evaluator/server.ts";
import { encodeSnapshot, type ConfigMapData } from "../../core/snapshot/configmap-format.ts";
import { KubernetesSnapshotSource } from "../../evaluator/sources/kubernetes.ts";
import { ensureBinaries } from "../k8s/build.ts";
import { startCluster, type Cluster } from "../k8s/cluster.ts";
import { killApiserver } from "../k8s/outage.ts";
import { kubectlOk, waitFor } from "../k8s/helpers.ts";
import { flagYaml, kubeConfig } from "./operator-helpers.ts";

const namespace = "evaluator";
const environment = "production";

/** The snapshot `compile` makes of these FeatureFlags (YAML specs by name), as the operator would. */
function snapshotOf(flags: Record<string, string>): Snapshot {
  const yaml = Object.entries(flags)
    .map(([name, spec]) => flagYaml(name, spec))
    .join("---\n");
  const { resources, problems } = parseManifests(yaml, "flags.yaml");
  expect(problems).toEqual([]);
  return compile(resources, { namespace, environment }).snapshot;
}

const checkoutOn = { checkout: "type: boolean\nenabled: true" };
const colors = (color: string) => ({
  "button-color": `type: string\nvariants:\n  - { name: ${color}, value: ${color} }\ndefaultVariant: ${color}`,
});

describe("evaluator --kubernetes against a real API server", () => {
  let cluster: Cluster;
  let core: CoreV1Api;
  let source: KubernetesSnapshotSource;
  let running: RunningEvaluator;
  let url: string;

  beforeAll(async () => {
    cluster = await startCluster({ binaries: await ensureBinaries(), controllerManager: false });
    await kubectlOk(["create", "namespace", namespace], { kubeconfig: cluster.kubeconfig });
    const config = kubeConfig(cluster.kubeconfig);
    core = config.makeApiClient(CoreV1Api);
    // what `vexil serve --kubernetes --namespace evaluator --environment production` builds,
    // with short retry delays so the outage test stays quick
    source = new KubernetesSnapshotSource({
      kubeconfig: config,
      namespace,
      environment,
      settleMs: 5,
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
    });
    const server = createEvaluatorServer({ source, defaultMetrics: false });
    await source.start();
    running = await server.listen(0, "127.0.0.1");
    url = `http://127.0.0.1:${running.port}`;
  });

  afterAll(async () => {
    await running?.close();
    await source?.stop();
    await cluster?.stop();
  });

  /** Create or replace one ConfigMap the way the operator lays them out. */
  async function write(data: ConfigMapData): Promise<void> {
    const body: V1ConfigMap = {
      metadata: { name: data.name, namespace, labels: data.labels, annotations: data.annotations },
      data: data.data,
    };
    try {
      await core.replaceNamespacedConfigMap({ name: data.name, namespace, body });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      await core.createNamespacedConfigMap({ namespace, body });
    }
  }

  /** The operator's order: shards first, the index last. */
  async function publish(snapshot: Snapshot): Promise<void> {
    const { index, shards } = encodeSnapshot(snapshot);
    for (const shard of shards) await write(shard);
    await write(index);
  }

  async function evaluate(key: string): Promise<{ status: number; value: unknown }> {
    const response = await fetch(`${url}/ofrep/v1/evaluate/flags/${key}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ context: { targetingKey: "user-1" } }),
    });
    const body = (await response.json()) as { value?: unknown };
    return { status: response.status, value: body.value };
  }

  async function readyz(): Promise<{ status: number; hash?: string }> {
    const response = await fetch(`${url}/readyz`);
    const body = (await response.json()) as { hash?: string };
    return { status: response.status, ...(body.hash ? { hash: body.hash } : {}) };
  }

  /** A counter from the evaluator's /metrics exposition, e.g. metric('vexil_snapshot_reloads_total{outcome="invalid"}'). */
  async function metric(series: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    if (line === undefined) throw new Error(`${series} is not in /metrics`);
    return Number(line.slice(series.length + 1));
  }

  const invalidReloads = () => metric('vexil_snapshot_reloads_total{outcome="invalid"}');

  async function waitForHash(hash: string, timeoutMs = 5000): Promise<number> {
    const started = Date.now();
    await waitFor(async () => (await readyz()).hash === hash, timeoutMs, 10);
    return Date.now() - started;
  }

  /** No event says "ignored": give the watch ample time to deliver, then look. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  const snapshotA = snapshotOf({ ...checkoutOn, ...colors("blue") });
  const snapshotB = snapshotOf({ checkout: "type: boolean\nenabled: true\nkillSwitch: true", ...colors("blue") });

  it("is not ready until the snapshot ConfigMaps exist, then serves them", async () => {
    expect(await readyz()).toEqual({ status: 503 });
    const before = await fetch(`${url}/readyz`);
    expect(await before.json()).toMatchObject({
      status: "waiting for the first snapshot",
      source: `kubernetes ConfigMaps ${namespace}/vexil-snapshot-production`,
    });

    await publish(snapshotA);
    await waitForHash(snapshotA.hash);
    expect(await readyz()).toEqual({ status: 200, hash: snapshotA.hash });
    expect(await evaluate("checkout")).toEqual({ status: 200, value: true });
    expect(await evaluate("button-color")).toEqual({ status: 200, value: "blue" });
  });

  it("serves an update of the ConfigMaps within a second", async () => {
    const started = Date.now();
    await publish(snapshotB);
    await waitFor(async () => (await evaluate("checkout")).value === false, 1000, 10);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await readyz()).hash).toBe(snapshotB.hash);
  });

  it("ignores a half-written set and keeps serving the last good snapshot", async () => {
    const green = encodeSnapshot(snapshotOf({ ...checkoutOn, ...colors("green") }));
    const red = encodeSnapshot(snapshotOf({ ...checkoutOn, ...colors("red") }));
    const invalidBefore = await invalidReloads();

    // the operator stopped after the shards: the index still names B's hash
    for (const shard of green.shards) await write(shard);
    await settle();
    expect(await readyz()).toEqual({ status: 200, hash: snapshotB.hash });
    expect(await evaluate("button-color")).toEqual({ status: 200, value: "blue" });

    // an index whose hash the shards do not match: rejected as invalid
    await write(red.index);
    await waitFor(async () => (await invalidReloads()) > invalidBefore, 5000, 20);
    expect(await readyz()).toEqual({ status: 200, hash: snapshotB.hash });
    expect(await evaluate("checkout")).toEqual({ status: 200, value: false });
    expect(await evaluate("button-color")).toEqual({ status: 200, value: "blue" });

    // the shards catch up: the set is complete and is served
    for (const shard of red.shards) await write(shard);
    await waitFor(async () => (await evaluate("button-color")).value === "red", 5000, 10);
    expect(await evaluate("checkout")).toEqual({ status: 200, value: true });
  });

  it("keeps the last good snapshot when a shard is not valid JSON, counting the reload as invalid", async () => {
    const lastGood = (await readyz()).hash;
    const next = encodeSnapshot(snapshotOf({ ...checkoutOn, ...colors("purple") }));
    const shard = next.shards[0] as ConfigMapData;
    const invalidBefore = await invalidReloads();
    await write({ ...shard, data: { "flags.json": '{"button-color": {"key": "button-color",' } });
    await write(next.index);
    await waitFor(async () => (await invalidReloads()) === invalidBefore + 1, 5000, 20);
    expect((await readyz()).hash).toBe(lastGood);
    expect(await evaluate("button-color")).toEqual({ status: 200, value: "red" });
    await settle();
    expect(await invalidReloads()).toBe(invalidBefore + 1);
  });

  it("answers from the last good snapshot while the API server is down, and resumes the watch after", async () => {
    const lastGood = (await readyz()).hash;
    const restartsBefore = await metric("vexil_watch_restarts_total");
    const restart = await killApiserver(cluster);

    // during the outage: ready, same snapshot, same answers, while the watch keeps failing
    const outageEnds = Date.now() + 3000;
    while (Date.now() < outageEnds) {
      expect(await readyz()).toEqual({ status: 200, hash: lastGood });
      expect(await evaluate("button-color")).toEqual({ status: 200, value: "red" });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await metric("vexil_watch_restarts_total")).toBeGreaterThan(restartsBefore);

    await restart();
    const after = snapshotOf({ checkout: "type: boolean\nenabled: false", ...colors("orange") });
    await publish(after);
    await waitForHash(after.hash, 15_000);
    expect(await evaluate("checkout")).toEqual({ status: 200, value: false });
    expect(await evaluate("button-color")).toEqual({ status: 200, value: "orange" });
  });
});
