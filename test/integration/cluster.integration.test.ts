// Smoke test for the integration-test cluster (test/k8s/): kubectl writes, client-node reads.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestNamespace, kubectl, kubectlOk, type TestNamespace } from "../k8s/helpers.ts";

describe("integration test cluster", () => {
  let ns: TestNamespace;
  let core: CoreV1Api;

  beforeAll(async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(inject("kubeconfig"));
    core = kc.makeApiClient(CoreV1Api);
    ns = await createTestNamespace("smoke");
  });

  afterAll(async () => {
    await ns?.cleanup();
  });

  it("exposes the kubeconfig and kubectl to workers", () => {
    expect(process.env.KUBECONFIG).toBe(inject("kubeconfig"));
    expect(process.env.VEXIL_KUBECTL).toBe(inject("kubectl"));
  });

  it("serves a parseable version to kubectl", async () => {
    const out = JSON.parse(await kubectlOk(["version", "-o", "json"])) as {
      serverVersion: { gitVersion: string; major: string };
    };
    expect(out.serverVersion.major).toBe("1");
    expect(out.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it("round-trips a ConfigMap created by kubectl through @kubernetes/client-node", async () => {
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "smoke", labels: { "flags.vexil.dev/environment": "test" } },
      data: { "snapshot.json": '{"flags":{}}' },
    });
    const applied = await kubectl(["apply", "-f", "-"], { input: manifest, namespace: ns.name });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);

    const cm = await core.readNamespacedConfigMap({ name: "smoke", namespace: ns.name });
    expect(cm.data).toEqual({ "snapshot.json": '{"flags":{}}' });
    expect(cm.metadata?.labels?.["flags.vexil.dev/environment"]).toBe("test");

    const list = await core.listNamespacedConfigMap({
      namespace: ns.name,
      labelSelector: "flags.vexil.dev/environment=test",
    });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(["smoke"]);
  });

  it("enforces RBAC for non-admin identities", async () => {
    const result = await kubectl([
      "auth",
      "can-i",
      "list",
      "configmaps",
      "--as=system:serviceaccount:default:nobody",
      "-n",
      ns.name,
    ]);
    expect(result.stdout.trim()).toBe("no");
  });
});
