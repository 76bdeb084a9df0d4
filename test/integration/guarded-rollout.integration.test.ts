// Guarded rollouts on the real API server and a real SQLite event store: the evaluator records
// which side of the canary each user landed on, the test posts guardrail metric events through
// the evaluator's /v1/events, and the operator compares inside with outside every interval. A
// regression rolls the canary back within one interval (Event, signed webhook, status, the off
// variant served); a healthy canary is promoted on schedule; a due promotion without enough users
// waits with reason Guarded; a spec change resumes a rolled back canary.
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../../event-store/sqlite.ts";
import type { OperatorHandle } from "../../operator/operator.ts";
import { freePort } from "../postgres/server.ts";
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
  type TestEvaluator,
} from "./operator-helpers.ts";

interface Delivery {
  verified: boolean;
  body: { type: string; data: { flag: string; environment: string; step: number; message: string } };
}

interface FlagStatus {
  status?: {
    environments?: Record<string, { rolloutPercentage?: number; rolloutStep?: number; guardrails?: { phase: string } }>;
  };
}

const INTERVAL_MS = 2000;
const USERS = 600;

function canary(start: Date, promoteAfter: string, extra = ""): string {
  return `
rollout:
  strategy: canary
  percentage: 20
  start: "${start.toISOString()}"
  promote: [{ after: ${promoteAfter}, percentage: 60 }]
  guardrails:
    interval: ${INTERVAL_MS / 1000}s
    minimumSamples: 50
    metrics:
      - { event: checkout_error, goal: decrease, maxRegression: 10 }${extra}`;
}

describe("guarded rollouts", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let operatorStore: SqliteEventStore;
  let evaluatorStore: SqliteEventStore;
  let evaluator: TestEvaluator;
  let receiver: http.Server;
  let dir: string;
  const deliveries: Delivery[] = [];
  const secret = `whsec_${randomBytes(32).toString("base64")}`;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("guarded");
    dir = mkdtempSync(path.join(tmpdir(), "vexil-guarded-"));
    // two handles on one file, as an evaluator pod and the operator would share PostgreSQL
    operatorStore = new SqliteEventStore(path.join(dir, "events.db"));
    evaluatorStore = new SqliteEventStore(path.join(dir, "events.db"));
    receiver = await startReceiver(secret, deliveries);
    const port = (receiver.address() as { port: number }).port;
    await kubectlOk(["create", "secret", "generic", "vexil-webhook-secret", `--from-literal=secret=${secret}`], {
      namespace: ns.name,
    });
    await apply(
      ns.name,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vexil-webhooks}\ndata:\n  endpoints.yaml: |\n    - url: http://127.0.0.1:${port}/hooks\n      events: [rollout.rolledBack]\n`,
    );
    operator = await startTestOperator("guarded-rollout", {
      namespaces: [ns.name],
      operatorNamespace: ns.name,
      webhookRefreshMs: 0,
      eventStore: operatorStore,
    });
    await waitFor(() => operator.ready(), 30_000);
    evaluator = await startEvaluator(ns.name, "production", undefined, evaluatorStore);
  });

  afterAll(async () => {
    await evaluator?.stop();
    await operator?.stop();
    receiver?.close();
    await operatorStore?.close();
    await evaluatorStore?.close();
    await ns?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Evaluates every user once (the evaluator records their side) and returns who got "on". */
  async function evaluateUsers(flag: string, prefix: string): Promise<{ inside: string[]; outside: string[] }> {
    const inside: string[] = [];
    const outside: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const user = `${prefix}-${i}`;
      const answer = await evaluator.evaluate(flag, { targetingKey: user });
      (answer.body.variant === "on" ? inside : outside).push(user);
    }
    return { inside, outside };
  }

  async function postErrors(users: readonly string[]): Promise<void> {
    const events = users.map((targetingKey) => ({ type: "conversion", event: "checkout_error", targetingKey }));
    for (let i = 0; i < events.length; i += 1000) {
      const response = await fetch(`${evaluator.url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events.slice(i, i + 1000)),
      });
      expect(response.status).toBe(202);
    }
  }

  /** Waits until the store has the users' sides (the evaluator writes in batches). */
  async function exposuresStored(flag: string, users: number): Promise<void> {
    await waitFor(async () => {
      const counts = await operatorStore.flagVariantUsers(ns.name, flag);
      const total = Object.values(counts).reduce(
        (n, byVariant) => n + (byVariant.inside ?? 0) + (byVariant.outside ?? 0),
        0,
      );
      return total >= users;
    }, 20_000);
  }

  async function servedPercentage(flag: string): Promise<number | undefined> {
    const object = await getJson<FlagStatus>(ns.name, "featureflag", flag);
    return object.status?.environments?.production?.rolloutPercentage;
  }

  it("rolls a regressing canary back within one analysis interval and serves the off variant", async () => {
    await apply(ns.name, flagYaml("checkout", canary(new Date(Date.now() - 60_000), "1h")));
    await waitFor(async () => (await servedPercentage("checkout")) === 20, 30_000);
    const { inside, outside } = await evaluateUsers("checkout", "c");
    expect(inside.length).toBeGreaterThan(60);
    await exposuresStored("checkout", USERS);
    // 30 % of the users inside hit an error, 2 % of those outside
    await postErrors([...inside.filter((_, i) => i % 10 < 3), ...outside.filter((_, i) => i % 50 === 0)]);
    await waitFor(async () => {
      const result = await operatorStore.aggregate({
        namespace: ns.name,
        experiment: `rollout/checkout/production/${await fingerprintOf("checkout")}/0`,
        variants: ["outside", "inside"],
        metrics: [{ name: "e", event: "checkout_error", type: "conversion" }],
      });
      return (result.metrics.e ?? []).reduce((n, row) => n + row.conversions, 0) > 40;
    }, 20_000);
    const landed = Date.now();

    await waitFor(
      async () => (await evaluator.evaluate("checkout", { targetingKey: inside[0] })).body.variant === "off",
      4 * INTERVAL_MS,
      25,
    );
    const elapsed = Date.now() - landed;
    console.log(
      `guardrail regression: off served to the canary ${elapsed} ms after the events landed (interval ${INTERVAL_MS} ms)`,
    );
    expect(elapsed).toBeLessThan(INTERVAL_MS + 1000);
    const rolledBack = await waitFor(async () => {
      const condition = await conditionOf(ns.name, "featureflag/checkout", "RolledBack");
      return condition?.status === "True" ? condition : undefined;
    });
    expect(rolledBack.reason).toBe("GuardrailRegressed");
    expect(rolledBack.message).toMatch(/guardrail checkout_error regressed at step 0 \(20%\)/);
    expect(rolledBack.message).toMatch(/to resume/);
    const ready = await conditionOf(ns.name, "featureflag/checkout", "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "RolledBack" });
    expect(await conditionOf(ns.name, "featureflag/checkout", "Stalled")).toMatchObject({ status: "True" });

    for (const user of inside.slice(0, 20)) {
      const answer = await evaluator.evaluate("checkout", { targetingKey: user });
      expect(answer.body).toMatchObject({ variant: "off", reason: "DEFAULT" });
    }
    const events = await waitFor(async () => {
      const list = (await eventsFor(ns.name, "checkout")).filter((e) => e.reason === "RolledBack");
      return list.length > 0 ? list : undefined;
    });
    expect(events[0]).toMatchObject({ type: "Warning" });
    await waitFor(() => deliveries.length >= 1, 20_000);
    expect(deliveries[0]).toMatchObject({
      verified: true,
      body: { type: "rollout.rolledBack", data: { flag: "checkout", environment: "production", step: 0 } },
    });

    // idempotent: more passes announce nothing again
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    await operator.webhooks.idle();
    expect(deliveries).toHaveLength(1);
    expect((await eventsFor(ns.name, "checkout")).filter((e) => e.reason === "RolledBack")).toHaveLength(1);

    // manual resume is a spec change: a new start restarts the canary with fresh comparisons
    await apply(ns.name, flagYaml("checkout", canary(new Date(), "1h")));
    await waitFor(async () => (await conditionOf(ns.name, "featureflag/checkout", "RolledBack")) === undefined, 15_000);
    expect(await conditionOf(ns.name, "featureflag/checkout", "Ready")).toMatchObject({ status: "True" });
    await waitFor(
      async () => (await evaluator.evaluate("checkout", { targetingKey: inside[0] })).body.variant === "on",
      10_000,
      50,
    );
  });

  it("promotes a healthy guarded canary on schedule", async () => {
    const start = new Date();
    await apply(ns.name, flagYaml("search", canary(start, "15s")));
    await waitFor(async () => (await servedPercentage("search")) === 20, 30_000);
    const { inside, outside } = await evaluateUsers("search", "s");
    await exposuresStored("search", USERS);
    // the same 5 % error rate on both sides
    await postErrors([...inside.filter((_, i) => i % 20 === 0), ...outside.filter((_, i) => i % 20 === 0)]);
    const due = start.getTime() + 15_000;
    expect(Date.now()).toBeLessThan(due - 3000); // the data is in well before the step is due
    await waitFor(async () => (await servedPercentage("search")) === 60, 30_000, 100);
    const late = Date.now() - due;
    console.log(`healthy guarded canary: promoted ${late} ms after its scheduled time`);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(2000);
    const object = await getJson<FlagStatus>(ns.name, "featureflag", "search");
    expect(object.status?.environments?.production?.guardrails?.phase).not.toBe("RolledBack");
    const advanced = (await eventsFor(ns.name, "search")).filter((e) => e.reason === "RolloutAdvanced");
    expect(advanced.length).toBeGreaterThanOrEqual(1);
  });

  it("holds a due promotion with reason Guarded until each side has its minimum users", async () => {
    await apply(ns.name, flagYaml("banner", canary(new Date(Date.now() - 60_000), "30s")));
    const ready = await waitFor(async () => {
      const condition = await conditionOf(ns.name, "featureflag/banner", "Ready");
      return condition?.reason === "Guarded" ? condition : undefined;
    }, 30_000);
    expect(ready.status).toBe("True");
    expect(ready.message).toMatch(/production at 20%, promotion to 60% \(step 1\) waits for the guardrails/);
    expect(ready.message).toMatch(
      /checkout_error has 0 users inside and 0 outside the rollout at step 0; 50 each are needed/,
    );
    expect(await servedPercentage("banner")).toBe(20);

    await evaluateUsers("banner", "b");
    await waitFor(async () => (await servedPercentage("banner")) === 60, 20_000, 100);
    expect((await conditionOf(ns.name, "featureflag/banner", "Ready"))?.reason).not.toBe("Guarded");
  });

  /** The rollout fingerprint the operator recorded for the flag (status.environments.production.guardrails.rollout). */
  async function fingerprintOf(flag: string): Promise<string> {
    return waitFor(async () => {
      const object = await getJson<{
        status?: { environments?: Record<string, { guardrails?: { rollout?: string } }> };
      }>(ns.name, "featureflag", flag);
      return object.status?.environments?.production?.guardrails?.rollout;
    });
  }
});

async function startReceiver(secret: string, deliveries: Delivery[]): Promise<http.Server> {
  const verifier = new Webhook(secret);
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      let verified = true;
      try {
        verifier.verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      deliveries.push({ verified, body: JSON.parse(body) as Delivery["body"] });
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}
