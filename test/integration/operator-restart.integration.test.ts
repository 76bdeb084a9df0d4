// An operator restarted over resources whose statuses are already correct writes nothing:
// no status patch, no Created Event. Only what changed while it was down is recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../operator/operator.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import { applyCrds, createFlags, getJson, kubectlOk, startTestOperator, waitFor } from "./operator-helpers.ts";

const COUNT = 200;

async function counter(operator: OperatorHandle, name: "statusPatches" | "events", reason?: string): Promise<number> {
  const values = (await operator.metrics[name].get()).values;
  return values
    .filter((value) => reason === undefined || value.labels.reason === reason)
    .reduce((sum, value) => sum + value.value, 0);
}

async function eventReasons(namespace: string): Promise<string[]> {
  const list = await getJson<{ items: { reason: string; involvedObject: { name: string } }[] }>(namespace, "events");
  return list.items.map((event) => `${event.reason} ${event.involvedObject.name}`).sort();
}

describe("operator restart", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle | undefined;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-restart");
    await createFlags(ns.name, COUNT);
  }, 60_000);

  afterAll(async () => {
    await operator?.stop();
    await ns?.cleanup();
  });

  it("writes every status and one Created Event per flag on a cold start, then nothing on a restart", async () => {
    operator = await startTestOperator("restart-1", { namespaces: [ns.name] });
    await waitFor(async () => (await counter(operator!, "statusPatches")) >= COUNT, 60_000);
    await operator.idle();
    expect(await counter(operator, "statusPatches")).toBe(COUNT);
    expect(await counter(operator, "events", "Created")).toBe(COUNT);
    const flags = await getJson<{
      items: { metadata: { generation: number }; status?: { observedGeneration?: number } }[];
    }>(ns.name, "featureflags");
    expect(flags.items.filter((flag) => flag.status?.observedGeneration !== flag.metadata.generation)).toEqual([]);
    await waitFor(async () => (await eventReasons(ns.name)).length >= COUNT, 30_000);
    await operator.stop();

    // changed while no operator ran: exactly this flag gets an Event and a status write
    await kubectlOk(["patch", "featureflag", "flag-00042", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    const eventsBefore = await eventReasons(ns.name);
    operator = await startTestOperator("restart-2", { namespaces: [ns.name] });
    await waitFor(async () => (await counter(operator!, "statusPatches")) >= 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // room for any stray write to show
    await operator.idle();
    expect(await counter(operator, "statusPatches")).toBe(1);
    expect(
      (await operator.metrics.events.get()).values
        .filter((value) => value.value > 0)
        .map((value) => [value.labels.reason, value.value]),
    ).toEqual([["Updated", 1]]);
    await waitFor(async () => (await eventReasons(ns.name)).length > eventsBefore.length, 15_000);
    const added = (await eventReasons(ns.name)).filter((event) => !eventsBefore.includes(event));
    expect(added).toEqual(["Updated flag-00042"]);
  }, 120_000);
});
