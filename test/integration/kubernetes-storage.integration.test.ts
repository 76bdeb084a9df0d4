// The TypeScript API's Kubernetes backend against a real API server, with the operator
// serving what it writes and providing the audit trail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubernetesFlagStorage } from "../../api/kubernetes-storage.ts";
import type { OperatorHandle } from "../../operator/operator.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  applyCrds,
  kubeConfig,
  startEvaluator,
  startTestOperator,
  waitFor,
  waitForValue,
  type TestEvaluator,
} from "./operator-helpers.ts";

describe("KubernetesFlagStorage", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let evaluator: TestEvaluator;
  let storage: KubernetesFlagStorage;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-storage");
    operator = await startTestOperator("storage", { namespaces: [ns.name] });
    evaluator = await startEvaluator(ns.name);
    storage = new KubernetesFlagStorage({ kubeconfig: kubeConfig(), namespace: ns.name });
  });

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    await ns?.cleanup();
  });

  it("creates, replaces, lists, reads and deletes flags as custom resources the operator serves", async () => {
    const flag = (killSwitch: boolean) => ({
      apiVersion: "flags.vexil.dev/v1alpha1" as const,
      kind: "FeatureFlag" as const,
      metadata: { name: "from-api" },
      spec: { type: "boolean" as const, enabled: true, killSwitch },
    });
    await storage.put(flag(false));
    await waitForValue(evaluator, "from-api", true);
    await storage.put(flag(true));
    await waitForValue(evaluator, "from-api", false);
    expect((await storage.get("FeatureFlag", "from-api"))?.spec.killSwitch).toBe(true);
    expect((await storage.list("FeatureFlag")).map((f) => f.metadata.name)).toEqual(["from-api"]);
    expect(await storage.get("FeatureFlag", "missing")).toBeUndefined();
    expect(await storage.delete("FeatureFlag", "from-api")).toBe(true);
    expect(await storage.delete("FeatureFlag", "from-api")).toBe(false);
    await waitFor(async () => (await evaluator.evaluate("from-api")).status === 404, 15_000);
  });

  it("reads the audit trail back from the operator’s Events, naming the API as the actor", async () => {
    const entries = await waitFor(async () => {
      const found = await storage.readAudit();
      return found.some((e) => e.action === "deleted") && found.some((e) => e.action === "killSwitchOn")
        ? found
        : undefined;
    }, 15_000);
    const created = entries.find((e) => e.action === "created");
    expect(created).toMatchObject({
      actor: "vexil",
      resource: { kind: "FeatureFlag", name: "from-api", namespace: ns.name },
    });
    expect(entries.map((e) => e.action)).toEqual(["created", "killSwitchOn", "deleted"]);
  });
});
