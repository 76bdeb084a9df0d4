// The operator against a real kube-apiserver: resources in, snapshot ConfigMaps out, a real
// evaluator answering from them; status, Events and the audit log along the way.
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../operator/operator.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  apply,
  applyCrds,
  conditionOf,
  eventsFor,
  flagYaml,
  getJson,
  kubectlOk,
  startEvaluator,
  startTestOperator,
  waitFor,
  waitForValue,
  type TestEvaluator,
} from "./operator-helpers.ts";

describe("operator: resources to served snapshot", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let evaluator: TestEvaluator;
  const auditLog = `/tmp/vexil-operator-audit-${process.pid}.jsonl`;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op");
    fs.rmSync(auditLog, { force: true });
    operator = await startTestOperator("main", {
      namespaces: [ns.name],
      environments: ["production", "staging"],
      auditLog,
    });
    await apply(
      ns.name,
      `${flagYaml("checkout", "description: new checkout\nkillSwitch: false")}---\n` +
        `${flagYaml("banner", "type: string\nvariants: [{name: blue, value: blue}, {name: red, value: red}]\ndefaultVariant: red\noffVariant: blue")}`,
    );
    evaluator = await startEvaluator(ns.name);
  });

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    await ns?.cleanup();
  });

  it("writes an index and shard ConfigMap per environment that the evaluator serves", async () => {
    await waitForValue(evaluator, "checkout", true);
    await waitForValue(evaluator, "banner", "red");
    const names = (
      await getJson<{ items: { metadata: { name: string; labels: Record<string, string> } }[] }>(
        ns.name,
        "configmaps",
        "-l",
        "flags.vexil.dev/environment",
      )
    ).items
      .map((cm) => cm.metadata.name)
      .sort();
    expect(names).toEqual([
      "vexil-snapshot-production",
      "vexil-snapshot-production-0",
      "vexil-snapshot-staging",
      "vexil-snapshot-staging-0",
    ]);
    const index = await getJson<{ metadata: { labels: Record<string, string> } }>(
      ns.name,
      "configmap",
      "vexil-snapshot-production",
    );
    expect(index.metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "vexil",
      "flags.vexil.dev/role": "index",
    });
  });

  it("reports Ready with observedGeneration and the served snapshot version per environment", async () => {
    const ready = await waitFor(async () => {
      const condition = await conditionOf(ns.name, "featureflag/checkout", "Ready");
      return condition?.status === "True" ? condition : undefined;
    }, 15_000);
    expect(ready.reason).toBe("Reconciled");
    const flag = await getJson<{
      metadata: { generation: number };
      status: {
        observedGeneration: number;
        environments: Record<string, { snapshotVersion: string; configMap: string }>;
      };
    }>(ns.name, "featureflag", "checkout");
    expect(flag.status.observedGeneration).toBe(flag.metadata.generation);
    expect(Object.keys(flag.status.environments).sort()).toEqual(["production", "staging"]);
    expect(flag.status.environments.production?.configMap).toBe("vexil-snapshot-production");
    expect(flag.status.environments.production?.snapshotVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it("serves the kill switch set by kubectl patch", async () => {
    await kubectlOk(["patch", "featureflag", "checkout", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    await waitForValue(evaluator, "checkout", false);
    const answer = await evaluator.evaluate("checkout");
    expect(answer.body.reason).toBe("DISABLED");
    const events = await waitFor(async () => {
      const found = await eventsFor(ns.name, "checkout");
      return found.some((event) => event.reason === "KillSwitchOn") ? found : undefined;
    }, 10_000);
    expect(events.find((event) => event.reason === "KillSwitchOn")?.message).toMatch(/spec\.killSwitch: false → true/);
    await kubectlOk(["patch", "featureflag", "checkout", "--type", "merge", "-p", '{"spec":{"killSwitch":false}}'], {
      namespace: ns.name,
    });
    await waitForValue(evaluator, "checkout", true);
  });

  it("appends each change to the JSON-lines audit log with the field manager", async () => {
    const entries = await waitFor(() => {
      const lines = fs.existsSync(auditLog) ? fs.readFileSync(auditLog, "utf8").trim().split("\n") : [];
      const parsed = lines.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      return parsed.some((entry) => entry.reason === "KillSwitchOff") ? parsed : undefined;
    }, 10_000);
    const killed = entries.find((entry) => entry.reason === "KillSwitchOn");
    expect(killed).toMatchObject({
      kind: "FeatureFlag",
      namespace: ns.name,
      name: "checkout",
      fieldManager: "kubectl-patch",
    });
    expect(killed?.changes).toEqual([{ path: "spec.killSwitch", from: false, to: true }]);
    expect(typeof killed?.generation).toBe("number");
  });

  it("marks an invalid flag Stalled with a Warning Event while every other flag keeps being served", async () => {
    await apply(ns.name, flagYaml("orphan", 'rules:\n  - segments: [no-such-segment]\n    serve: {variant: "on"}'));
    const stalled = await waitFor(async () => {
      const condition = await conditionOf(ns.name, "featureflag/orphan", "Stalled");
      return condition?.status === "True" ? condition : undefined;
    }, 15_000);
    expect(stalled.reason).toBe("UnknownSegment");
    expect(stalled.message).toContain("no-such-segment");
    expect(stalled.message).toContain("not served");
    const ready = await conditionOf(ns.name, "featureflag/orphan", "Ready");
    expect(ready?.status).toBe("False");
    expect((await evaluator.evaluate("orphan")).status).toBe(404);
    expect((await evaluator.evaluate("checkout")).body.value).toBe(true);
    const warning = await waitFor(
      async () => (await eventsFor(ns.name, "orphan")).find((event) => event.reason === "Invalid"),
      10_000,
    );
    expect(warning.type).toBe("Warning");
  });

  it("keeps serving the last good generation of a flag that becomes invalid, and says so", async () => {
    await kubectlOk(["patch", "featureflag", "banner", "--type", "merge", "-p", '{"spec":{"defaultVariant":"blue"}}'], {
      namespace: ns.name,
    });
    await waitForValue(evaluator, "banner", "blue");
    // a rule naming a segment that does not exist passes admission but cannot be compiled
    await kubectlOk(
      [
        "patch",
        "featureflag",
        "banner",
        "--type",
        "merge",
        "-p",
        '{"spec":{"defaultVariant":"red","rules":[{"segments":["ghost"],"serve":{"variant":"red"}}]}}',
      ],
      { namespace: ns.name },
    );
    const stalled = await waitFor(async () => {
      const condition = await conditionOf(ns.name, "featureflag/banner", "Stalled");
      return condition?.status === "True" ? condition : undefined;
    }, 15_000);
    expect(stalled.message).toMatch(/still serving generation 2/);
    expect((await evaluator.evaluate("banner")).body.value).toBe("blue");
    // fixing it serves the new generation and clears Stalled
    await kubectlOk(
      ["patch", "featureflag", "banner", "--type", "json", "-p", '[{"op":"remove","path":"/spec/rules"}]'],
      { namespace: ns.name },
    );
    await waitForValue(evaluator, "banner", "red");
    await waitFor(async () => (await conditionOf(ns.name, "featureflag/banner", "Stalled")) === undefined, 15_000);
  });

  it("restores a deleted snapshot ConfigMap and a shard edited by hand", async () => {
    await operator.idle();
    const before = await getJson<{ data: Record<string, string> }>(ns.name, "configmap", "vexil-snapshot-production-0");
    await kubectlOk(["delete", "configmap", "vexil-snapshot-production"], { namespace: ns.name });
    await waitFor(
      async () => (await getJson(ns.name, "configmap", "vexil-snapshot-production")).data !== undefined,
      15_000,
    );
    await kubectlOk(
      ["patch", "configmap", "vexil-snapshot-production-0", "--type", "merge", "-p", '{"data":{"flags.json":"{}"}}'],
      { namespace: ns.name },
    );
    await waitFor(async () => {
      const shard = await getJson<{ data: Record<string, string> }>(
        ns.name,
        "configmap",
        "vexil-snapshot-production-0",
      );
      return shard.data["flags.json"] === before.data["flags.json"];
    }, 15_000);
    expect((await evaluator.evaluate("checkout")).body.value).toBe(true);
  });

  it("does not rewrite ConfigMaps or statuses when nothing changed", async () => {
    await operator.idle();
    const rv = async (name: string): Promise<string> =>
      (await getJson<{ metadata: { resourceVersion: string } }>(ns.name, name)).metadata.resourceVersion;
    const indexBefore = await rv("configmap/vexil-snapshot-production");
    const flagBefore = await rv("featureflag/checkout");
    const patchesBefore = (await operator.metrics.statusPatches.get()).values[0]?.value ?? 0;
    // an unrelated label change bumps the resourceVersion but not the generation
    await kubectlOk(["label", "featureflag", "checkout", "team=payments"], { namespace: ns.name });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await operator.idle();
    expect(await rv("configmap/vexil-snapshot-production")).toBe(indexBefore);
    expect(await rv("featureflag/checkout")).not.toBe(flagBefore);
    expect((await operator.metrics.statusPatches.get()).values[0]?.value ?? 0).toBe(patchesBefore);
  });

  it("advances a gradual rollout on schedule, recording each step in status and an Event", async () => {
    const start = new Date(Date.now() - 500).toISOString();
    await apply(
      ns.name,
      flagYaml("ramp", `rollout: {strategy: gradual, from: 0, to: 100, start: "${start}", duration: 6s, steps: 3}`),
    );
    const first = await waitFor(async () => {
      const flag = await getJson<{
        status?: {
          environments?: Record<string, { rolloutStep?: number; rolloutPercentage?: number; nextStepAt?: string }>;
        };
      }>(ns.name, "featureflag", "ramp");
      return flag.status?.environments?.production?.nextStepAt ? flag.status.environments.production : undefined;
    }, 10_000);
    const later = await waitFor(async () => {
      const flag = await getJson<{
        status?: { environments?: Record<string, { rolloutStep?: number; rolloutPercentage?: number }> };
      }>(ns.name, "featureflag", "ramp");
      const production = flag.status?.environments?.production;
      return production && (production.rolloutPercentage ?? 0) > (first.rolloutPercentage ?? 0)
        ? production
        : undefined;
    }, 15_000);
    expect(later.rolloutStep).toBeGreaterThan(first.rolloutStep ?? -1);
    const advanced = await waitFor(
      async () => (await eventsFor(ns.name, "ramp")).find((event) => event.reason === "RolloutAdvanced"),
      10_000,
    );
    expect(advanced.message).toMatch(/(production|staging): rollout step \d+ → \d+, [\d.]+% → [\d.]+%/);
  });
});
