// Webhooks from the operator: signed with Standard Webhooks, retried while the receiver is
// down, delivered once per change with a stable webhook-id.
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../operator/operator.ts";
import { createTestNamespace, type TestNamespace } from "../k8s/helpers.ts";
import { apply, applyCrds, flagYaml, kubectlOk, startTestOperator, waitFor } from "./operator-helpers.ts";

interface Received {
  id: string;
  body: {
    type: string;
    data: {
      namespace: string;
      environment: string;
      hash: string;
      previousHash: string | null;
      flags: { added: string[]; changed: string[]; removed: string[] };
      changedBy: { kind: string; name: string; reason: string; user?: string; fieldManager?: string }[];
    };
  };
  verified: boolean;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("operator webhooks", () => {
  let ns: TestNamespace;
  let operator: OperatorHandle;
  let receiver: http.Server | undefined;
  const secret = `whsec_${randomBytes(32).toString("base64")}`;

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("op-hooks");
  });

  afterAll(async () => {
    await operator?.stop();
    receiver?.close();
    await ns?.cleanup();
  });

  it("retries while the receiver is down, then delivers each change once with a verifiable signature", async () => {
    const port = await freePort();
    await kubectlOk(["create", "secret", "generic", "vexil-webhook-secret", `--from-literal=secret=${secret}`], {
      namespace: ns.name,
    });
    await apply(
      ns.name,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vexil-webhooks}\ndata:\n  endpoints.yaml: |\n    - url: http://127.0.0.1:${port}/hooks/vexil\n      environments: [production]\n`,
    );
    operator = await startTestOperator("webhooks", {
      namespaces: [ns.name],
      operatorNamespace: ns.name,
      webhookRefreshMs: 0,
      webhookPolicy: { attempts: 50, initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 1000 },
    });
    await apply(ns.name, flagYaml("checkout", "description: hooks"));
    await waitFor(
      async () =>
        (await kubectlOk(["get", "configmaps", "-o", "name"], { namespace: ns.name })).includes(
          "vexil-snapshot-production",
        ),
      15_000,
    );
    await kubectlOk(["patch", "featureflag", "checkout", "--type", "merge", "-p", '{"spec":{"killSwitch":true}}'], {
      namespace: ns.name,
    });
    // both changes are now queued behind a receiver that refuses connections
    await waitFor(
      async () =>
        ((await operator.metrics.webhookDeliveries.get()).values.find((v) => v.labels.outcome === "retry")?.value ??
          0) >= 3,
      15_000,
    );

    const received: Received[] = [];
    const verifier = new Webhook(secret);
    receiver = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const verified = (() => {
          try {
            verifier.verify(body, req.headers as Record<string, string>);
            return true;
          } catch {
            return false;
          }
        })();
        received.push({ id: String(req.headers["webhook-id"]), body: JSON.parse(body) as Received["body"], verified });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(port, "127.0.0.1", resolve));

    await waitFor(() => received.length >= 2, 15_000);
    await operator.webhooks.idle();
    expect(received).toHaveLength(2);
    expect(new Set(received.map((r) => r.id)).size).toBe(2);
    expect(received.every((r) => r.verified && /^msg_[0-9a-f]{32}$/.test(r.id))).toBe(true);
    const [created, killed] = received;
    expect(created?.body).toMatchObject({
      type: "snapshot.updated",
      data: { namespace: ns.name, environment: "production", previousHash: null, flags: { added: ["checkout"] } },
    });
    expect(killed?.body.data.flags).toEqual({ added: [], changed: ["checkout"], removed: [] });
    expect(killed?.body.data.previousHash).toBe(created?.body.data.hash);
    // who: the tool here (no admission policy in this test; audit-trail.integration.test.ts has the person)
    expect(created?.body.data.changedBy).toEqual([
      expect.objectContaining({ kind: "FeatureFlag", name: "checkout", reason: "Created" }),
    ]);
    expect(killed?.body.data.changedBy).toEqual([
      expect.objectContaining({ name: "checkout", reason: "KillSwitchOn", fieldManager: "kubectl-patch" }),
    ]);
    const delivered = (await operator.metrics.webhookDeliveries.get()).values.find(
      (v) => v.labels.outcome === "delivered",
    )?.value;
    expect(delivered).toBe(2);
  });
});
