// Process-level behaviour of `vexil operator`: SIGKILL in the middle of a reconcile, two
// replicas with leader election, failover and graceful release of the lease.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  apply,
  applyCrds,
  getJson,
  kubectlOk,
  manyFlags,
  spawnOperator,
  startEvaluator,
  waitFor,
  waitForValue,
  type OperatorProcess,
  type TestEvaluator,
} from "./operator-helpers.ts";

interface Lease {
  spec: { holderIdentity?: string; leaseDurationSeconds?: number };
}

describe("operator process: crash and restart", () => {
  let ns: TestNamespace;
  let evaluator: TestEvaluator;
  const running: OperatorProcess[] = [];

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-crash");
    evaluator = await startEvaluator(ns.name);
  });

  afterAll(async () => {
    for (const operator of running) operator.child.kill("SIGKILL");
    await evaluator?.stop();
    await ns?.cleanup();
  });

  it("converges after being killed with SIGKILL while reconciling", async () => {
    await apply(ns.name, manyFlags(400));
    const first = await spawnOperator(["--namespace", ns.name]);
    running.push(first);
    // kill as soon as the first snapshot ConfigMap appears: the reconcile (statuses, Events) is mid-flight
    await waitFor(
      async () =>
        (await kubectlOk(["get", "configmaps", "-o", "name"], { namespace: ns.name })).includes(
          "vexil-snapshot-production",
        ),
      30_000,
      20,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    // change things while no operator runs
    await kubectlOk(["patch", "featureflag", "flag-00007", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    await kubectlOk(["delete", "featureflag", "flag-00399"], { namespace: ns.name });
    const second = await spawnOperator(["--namespace", ns.name]);
    running.push(second);
    await waitForValue(evaluator, "flag-00007", false, 30_000);
    await waitForValue(evaluator, "flag-00398", true, 30_000);
    expect((await evaluator.evaluate("flag-00399")).status).toBe(404);
    const notReady = await waitFor(
      async () => {
        const list = await getJson<{
          items: {
            metadata: { generation: number };
            status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
          }[];
        }>(ns.name, "featureflags");
        const pending = list.items.filter(
          (item) =>
            item.status?.observedGeneration !== item.metadata.generation ||
            !item.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        return pending.length === 0 ? list.items.length : undefined;
      },
      60_000,
      500,
    );
    expect(notReady).toBe(399);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});

describe("operator process: leader election", () => {
  let ns: TestNamespace;
  let evaluator: TestEvaluator;
  const running: OperatorProcess[] = [];
  const leaseArgs = (namespace: string): string[] => [
    "--namespace",
    namespace,
    "--leader-elect",
    "--operator-namespace",
    namespace,
    "--lease-duration",
    "3",
    "--renew-deadline",
    "2",
    "--retry-period",
    "0.5",
  ];

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-leader");
    evaluator = await startEvaluator(ns.name);
  });

  afterAll(async () => {
    for (const operator of running) operator.child.kill("SIGKILL");
    await evaluator?.stop();
    await ns?.cleanup();
  });

  const lease = (): Promise<Lease> => getJson<Lease>(ns.name, "lease", "vexil-operator-leader");

  it("lets exactly one of two replicas reconcile, fails over when it dies, and releases the lease on SIGTERM", async () => {
    const a = await spawnOperator(leaseArgs(ns.name));
    const b = await spawnOperator(leaseArgs(ns.name));
    running.push(a, b);
    await apply(ns.name, manyFlags(3));
    await waitForValue(evaluator, "flag-00001", true, 30_000);
    const leaders = await waitFor(async () => {
      const flags = await Promise.all([a.isLeader(), b.isLeader()]);
      return flags.filter(Boolean).length === 1 ? flags : undefined;
    }, 15_000);
    const [leader, standby] = leaders[0] ? [a, b] : [b, a];
    const holder = (await lease()).spec.holderIdentity;
    expect(holder).toBeTruthy();
    expect(await standby.isLeader()).toBe(false);

    leader.child.kill("SIGKILL");
    await leader.exited;
    const killedAt = Date.now();
    await waitFor(() => standby.isLeader(), 15_000, 200);
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThan(8_000); // lease 3 s + polling; 15 s lease in production
    expect((await lease()).spec.holderIdentity).not.toBe(holder);
    await kubectlOk(["patch", "featureflag", "flag-00001", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    await waitForValue(evaluator, "flag-00001", false, 15_000);

    standby.child.kill("SIGTERM");
    expect(await standby.exited).toBe(0);
    const released = await lease();
    expect(released.spec.holderIdentity ?? "").toBe("");
    expect(released.spec.leaseDurationSeconds).toBe(1);
  });
});
