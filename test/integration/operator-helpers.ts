// Shared pieces of the operator's integration tests: CRDs, an in-process operator, a real
// evaluator (HTTP, OFREP) reading the operator's ConfigMaps, and small kubectl wrappers.
import { KubeConfig } from "@kubernetes/client-node";
import * as path from "node:path";
import { pino } from "pino";
import { createEvaluatorServer } from "../../evaluator/server.ts";
import type { EventStore } from "../../event-store/store.ts";
import { KubernetesSnapshotSource } from "../../evaluator/sources/kubernetes.ts";
import { startOperator, type OperatorHandle, type OperatorOptions } from "../../operator/operator.ts";
import { kubectl, kubectlOk, kubeconfigPath, waitFor } from "../k8s/helpers.ts";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

let crdsApplied: Promise<void> | undefined;

/** Applies crds/*.yaml once per worker and waits until they are served. */
export function applyCrds(): Promise<void> {
  crdsApplied ??= (async () => {
    await kubectlOk(["apply", "-f", path.join(repoRoot, "crds")]);
    await kubectlOk([
      "wait",
      "--for=condition=Established",
      "--timeout=60s",
      "crd/featureflags.flags.vexil.dev",
      "crd/segments.flags.vexil.dev",
      "crd/experiments.flags.vexil.dev",
    ]);
  })();
  return crdsApplied;
}

export function kubeConfig(file = kubeconfigPath()): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(file);
  return config;
}

/** Operator logs go to a file per test run, so failures can be read without flooding vitest. */
export function testLogger(name: string): pino.Logger {
  const level = process.env.VEXIL_TEST_LOG_LEVEL ?? "info";
  return pino(
    { level, base: { test: name } },
    pino.destination({ dest: `/tmp/vexil-operator-${name}.log`, sync: true }),
  );
}

export async function startTestOperator(name: string, options: OperatorOptions = {}): Promise<OperatorHandle> {
  return startOperator({
    kubeconfig: kubeConfig(),
    metricsPort: false,
    logger: testLogger(name),
    watchBackoff: { initialBackoffMs: 100, maxBackoffMs: 2000 },
    ...options,
  });
}

export interface TestEvaluator {
  url: string;
  source: KubernetesSnapshotSource;
  /** OFREP single-flag evaluation */
  evaluate(key: string, context?: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** The real evaluator, fed by the ConfigMaps the operator writes (what `vexil serve --kubernetes` runs). */
export async function startEvaluator(
  namespace: string,
  environment = "production",
  kubeconfig?: string,
  eventStore?: EventStore,
): Promise<TestEvaluator> {
  const source = new KubernetesSnapshotSource({
    kubeconfig: kubeConfig(kubeconfig),
    namespace,
    environment,
    settleMs: 5,
    initialBackoffMs: 100,
    maxBackoffMs: 1000,
  });
  const server = createEvaluatorServer({ source, defaultMetrics: false, ...(eventStore ? { eventStore } : {}) });
  await source.start();
  const running = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${running.port}`;
  return {
    url,
    source,
    async evaluate(key, context = { targetingKey: "user-1" }) {
      const response = await fetch(`${url}/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ context }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      await running.close();
      await source.stop();
    },
  };
}

/** Waits until the evaluator answers `key` with `value`. */
export async function waitForValue(
  evaluator: TestEvaluator,
  key: string,
  value: unknown,
  timeoutMs = 15_000,
): Promise<void> {
  await waitFor(
    async () => {
      const answer = await evaluator.evaluate(key);
      return answer.status === 200 && JSON.stringify(answer.body.value) === JSON.stringify(value);
    },
    timeoutMs,
    50,
  );
}

export async function apply(namespace: string, yaml: string): Promise<void> {
  await kubectlOk(["apply", "-f", "-"], { namespace, input: yaml });
}

export async function getJson<T = Record<string, unknown>>(namespace: string, ...args: string[]): Promise<T> {
  return JSON.parse(await kubectlOk(["get", ...args, "-o", "json"], { namespace })) as T;
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export async function conditionOf(namespace: string, resource: string, type: string): Promise<Condition | undefined> {
  const object = await getJson<{ status?: { conditions?: Condition[] } }>(namespace, resource);
  return object.status?.conditions?.find((condition) => condition.type === type);
}

export async function eventsFor(
  namespace: string,
  name: string,
): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await getJson<{
    items: { reason: string; message: string; type: string; involvedObject: { name: string } }[];
  }>(namespace, "events");
  return list.items.filter((event) => event.involvedObject.name === name);
}

export function flagYaml(name: string, spec: string): string {
  const indented = spec
    .trim()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
  return `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec:\n${indented}\n`;
}

export { kubectl, kubectlOk, waitFor };

export interface OperatorProcess {
  child: import("node:child_process").ChildProcess;
  /** stderr (JSON logs) so far */
  logs(): string;
  /** the /metrics port, once the operator logged it */
  metricsPort(): Promise<number>;
  /** value of the vexil_operator_leader gauge */
  isLeader(): Promise<boolean>;
  exited: Promise<number | null>;
}

/** Runs `node cli/main.ts operator ...args` as a child process (for SIGKILL and multi-replica tests). */
export async function spawnOperator(args: string[]): Promise<OperatorProcess> {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, "cli", "main.ts"), "operator", "--metrics-port", "0", "--metrics-host", "127.0.0.1", ...args],
    {
      env: { ...process.env, KUBECONFIG: kubeconfigPath() },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  process.once("exit", () => child.kill("SIGKILL"));
  const metricsPort = (): Promise<number> =>
    waitFor(() => {
      const match = /"metricsPort":(\d+)/.exec(stderr);
      return match ? Number(match[1]) : undefined;
    }, 20_000);
  return {
    child,
    logs: () => stderr,
    metricsPort,
    async isLeader() {
      const port = await metricsPort();
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /^vexil_operator_leader 1$/m.test(text);
    },
    exited,
  };
}

export function manyFlags(count: number, spec = "description: generated"): string {
  return Array.from({ length: count }, (_, i) => flagYaml(`flag-${String(i).padStart(5, "0")}`, spec)).join("---\n");
}

/** Creates `count` boolean flags through the API with bounded parallelism (much faster than one big kubectl apply). */
export async function createFlags(
  namespace: string,
  count: number,
  parallel = 32,
  spec: Record<string, unknown> = { description: "generated" },
): Promise<void> {
  const { CustomObjectsApi } = await import("@kubernetes/client-node");
  const custom = kubeConfig().makeApiClient(CustomObjectsApi);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const body = {
        apiVersion: "flags.vexil.dev/v1alpha1",
        kind: "FeatureFlag",
        metadata: { name: `flag-${String(i).padStart(5, "0")}`, namespace },
        spec,
      };
      await custom.createNamespacedCustomObject({
        group: "flags.vexil.dev",
        version: "v1alpha1",
        namespace,
        plural: "featureflags",
        body,
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
