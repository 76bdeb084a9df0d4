// The operator's experiment analysis on the real API server: when a variant first becomes
// significant and when a sample ratio mismatch first shows, it posts an Event and sends a signed
// experiment.updated webhook; passes that find nothing new announce nothing again.
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../../event-store/sqlite.ts";
import type { EventRecord } from "../../event-store/store.ts";
import type { OperatorHandle } from "../../operator/operator.ts";
import { freePort } from "../postgres/server.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import {
  apply,
  applyCrds,
  conditionOf,
  eventsFor,
  getJson,
  kubectlOk,
  startTestOperator,
  waitFor,
} from "./operator-helpers.ts";
import { EXPERIMENT_YAML } from "./experiment-processes.ts";

interface Delivery {
  id: string;
  verified: boolean;
  body: { type: string; data: { name: string; trigger: string; variant: string | null; metric: string | null } };
}

describe("experiment milestones", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let store: SqliteEventStore;
  let receiver: http.Server;
  let dir: string;
  const deliveries: Delivery[] = [];
  const secret = `whsec_${randomBytes(32).toString("base64")}`;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("exp-milestones");
    dir = mkdtempSync(path.join(tmpdir(), "vexil-milestones-"));
    store = new SqliteEventStore(path.join(dir, "events.db"));
    const port = await freePort();
    const verifier = new Webhook(secret);
    receiver = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        let verified = true;
        try {
          verifier.verify(body, req.headers as Record<string, string>);
        } catch {
          verified = false;
        }
        deliveries.push({
          id: String(req.headers["webhook-id"]),
          verified,
          body: JSON.parse(body) as Delivery["body"],
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, "127.0.0.1", resolve));
    await kubectlOk(["create", "secret", "generic", "vexil-webhook-secret", `--from-literal=secret=${secret}`], {
      namespace: ns.name,
    });
    await apply(
      ns.name,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vexil-webhooks}\ndata:\n  endpoints.yaml: |\n    - url: http://127.0.0.1:${port}/hooks\n      events: [experiment.updated]\n`,
    );
    await apply(ns.name, EXPERIMENT_YAML("banner"));
    operator = await startTestOperator("experiment-milestones", {
      namespaces: [ns.name],
      operatorNamespace: ns.name,
      webhookRefreshMs: 0,
      eventStore: store,
      analysisIntervalMs: 3_600_000, // passes are driven by the test
    });
    await waitFor(() => operator.ready(), 30_000);
  });

  afterAll(async () => {
    await operator?.stop();
    receiver?.close();
    await store?.close();
    await ns?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("announces significance and a sample ratio mismatch once each, by Event and signed webhook", async () => {
    const records: EventRecord[] = [];
    const exposure = (user: string, variant: string): EventRecord => ({
      kind: "exposure",
      namespace: ns.name,
      experiment: "banner-test",
      flag: "banner",
      variant,
      targetingKey: user,
      at: 1000,
    });
    const purchase = (user: string): EventRecord => ({
      kind: "metric",
      namespace: ns.name,
      event: "purchase",
      targetingKey: user,
      value: 1,
      at: 2000,
    });
    // a 3:1 split where 1:1 was configured (SRM), and green converting 60 % against blue's 10 %
    for (let i = 0; i < 600; i++) records.push(exposure(`b${i}`, "blue"), ...(i % 10 === 0 ? [purchase(`b${i}`)] : []));
    for (let i = 0; i < 200; i++) records.push(exposure(`g${i}`, "green"), ...(i % 5 < 3 ? [purchase(`g${i}`)] : []));
    await store.write(records);

    // the reconcile's Ready first; the analysis then merges its conditions with it
    await waitFor(
      async () => (await conditionOf(ns.name, "experiment/banner-test", "Ready"))?.status === "True",
      30_000,
    );
    await operator.analyzeExperiments();
    const status = await waitFor(async () => {
      const object = await getJson<{ status?: Record<string, unknown> }>(ns.name, "experiment", "banner-test");
      return object.status?.results ? object.status : undefined;
    });
    expect(status.sampleRatioMismatch).toMatchObject({ detected: true });
    expect(status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "SampleRatioMismatch", status: "True", reason: "Detected" }),
      ]),
    );
    const announced = async () => (await eventsFor(ns.name, "banner-test")).filter((e) => e.reason !== "Created"); // the reconcile's audit
    const events = await waitFor(async () => {
      const list = await announced();
      return list.length >= 2 ? list : undefined;
    });
    expect(events.map((e) => [e.reason, e.type]).sort()).toEqual([
      ["SampleRatioMismatch", "Warning"],
      ["SignificanceReached", "Normal"],
    ]);
    expect(events.find((e) => e.reason === "SignificanceReached")?.message).toMatch(
      /variant green differs significantly from the control on purchase \(lift \+?500\.0%\)/,
    );
    await waitFor(() => deliveries.length >= 2, 20_000);
    expect(deliveries.every((d) => d.verified && d.body.type === "experiment.updated")).toBe(true);
    expect(deliveries.map((d) => [d.body.data.trigger, d.body.data.variant]).sort()).toEqual([
      ["sampleRatioMismatch", null],
      ["significance", "green"],
    ]);

    // a pass that finds the same results announces nothing again
    await operator.analyzeExperiments();
    await operator.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await announced()).toHaveLength(2);
    expect(deliveries).toHaveLength(2);
  });
});
