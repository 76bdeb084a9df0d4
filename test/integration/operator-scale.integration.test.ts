// 10 000 flags in one namespace: the snapshot is sharded across ConfigMaps under the size
// limit, and the evaluator serves every flag from the reassembled set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../operator/operator.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  applyCrds,
  createFlags,
  getJson,
  kubectlOk,
  startEvaluator,
  startTestOperator,
  waitForValue,
  type TestEvaluator,
} from "./operator-helpers.ts";

const COUNT = 10_000;

describe("operator at scale", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let evaluator: TestEvaluator;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-scale");
    await createFlags(ns.name, COUNT);
  }, 180_000);

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    await ns?.cleanup();
  });

  it("shards a 10 000-flag snapshot under the ConfigMap limit and serves every flag", async () => {
    operator = await startTestOperator("scale", { namespaces: [ns.name] });
    evaluator = await startEvaluator(ns.name);
    await waitForValue(evaluator, "flag-09999", true, 90_000);
    const configMaps = await getJson<{
      items: { metadata: { name: string; labels: Record<string, string> }; data: Record<string, string> }[];
    }>(ns.name, "configmaps", "-l", "flags.vexil.dev/environment=production");
    const shards = configMaps.items.filter((cm) => cm.metadata.labels["flags.vexil.dev/role"] === "shard");
    expect(shards.length).toBeGreaterThan(1);
    for (const cm of configMaps.items) expect(Buffer.byteLength(JSON.stringify(cm.data))).toBeLessThan(1024 * 1024);
    const index = JSON.parse(
      configMaps.items.find((cm) => cm.metadata.name === "vexil-snapshot-production")?.data["index.json"] ?? "{}",
    ) as { shards: string[] };
    expect(index.shards.sort()).toEqual(shards.map((cm) => cm.metadata.name).sort());
    expect(Object.keys(evaluator.source.current()?.flags ?? {})).toHaveLength(COUNT);
    for (const key of ["flag-00000", "flag-04321", "flag-09999"])
      expect((await evaluator.evaluate(key)).body.value).toBe(true);
    // a kill switch at this scale still reaches the evaluator
    await kubectlOk(["patch", "featureflag", "flag-05000", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    await waitForValue(evaluator, "flag-05000", false, 30_000);
  }, 180_000);
});
