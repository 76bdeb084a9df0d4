// The audit trail names the person: with deploy/audit-policy.yaml (the generated
// MutatingAdmissionPolicy) on the real API server, `kubectl --as alice` and `--as bob` changes reach
// the `vexil operator` process's stdout (JSON lines marked audit) and its audit file, and its
// Events and its signed snapshot.updated webhooks, naming each; an unchanged re-apply records
// nothing; a deletion keeps the values it lost.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubernetesFlags } from "../../api/kubernetes.ts";
import { createTestNamespace, kubeconfigPath, kubectl, type TestNamespace } from "../k8s/helpers.ts";
import { applyCrds, eventsFor, flagYaml, kubectlOk, repoRoot, waitFor } from "./operator-helpers.ts";

interface Attribution {
  kind: string;
  name: string;
  reason: string;
  user?: string;
  fieldManager?: string;
}

interface AuditLine {
  audit: true;
  kind: string;
  name: string;
  namespace: string;
  reason: string;
  user?: string;
  modifiedAt?: string;
  fieldManager?: string;
  summary: string;
  changes?: { path: string; from?: unknown; to?: unknown }[];
}

const POLICY = path.join(repoRoot, "deploy", "audit-policy.yaml");

/** alice and bob may change Vexil resources in one namespace, nothing else. */
function editorRbac(namespace: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: flag-editor, namespace: ${namespace} }
rules:
  - apiGroups: [flags.vexil.dev]
    resources: [featureflags, segments, experiments]
    verbs: [get, list, watch, create, update, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: flag-editors, namespace: ${namespace} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: flag-editor }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: alice }
  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: bob }
`;
}

describe("audit trail naming the person (admission policy + operator)", () => {
  let ns: TestNamespace;
  let operator: ChildProcess;
  let stdout = "";
  let stderr = "";
  let receiver: http.Server;
  const delivered: Attribution[] = [];
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const auditFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vexil-audit-")), "audit.jsonl");
  const as = (user: string, args: string[], input?: string): Promise<string> =>
    kubectlOk(["--as", user, ...args], { namespace: ns.name, ...(input ? { input } : {}) });
  const lines = (): AuditLine[] =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as AuditLine);
  const recorded = (reason: string, name: string): Promise<AuditLine> =>
    waitFor(() => lines().find((line) => line.reason === reason && line.name === name), 20_000);
  const checkout = (percentage: number): string =>
    flagYaml("checkout", `description: New checkout\nrollout: { strategy: percentage, percentage: ${percentage} }`);

  /** A receiver that keeps the changedBy entries of every verified snapshot.updated webhook. */
  async function startReceiver(): Promise<number> {
    const verifier = new Webhook(secret);
    receiver = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const message = verifier.verify(body, req.headers as Record<string, string>) as {
          data: { changedBy: Attribution[] };
        };
        delivered.push(...message.data.changedBy);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    return (receiver.address() as AddressInfo).port;
  }

  beforeAll(async () => {
    await applyCrds();
    await kubectlOk(["apply", "-f", POLICY]);
    ns = await createTestNamespace("audit-who");
    await kubectlOk(["apply", "-f", "-"], { input: editorRbac(ns.name) });
    const port = await startReceiver();
    await kubectlOk(["create", "secret", "generic", "vexil-webhook-secret", `--from-literal=secret=${secret}`], {
      namespace: ns.name,
    });
    const endpoints = `    - url: http://127.0.0.1:${port}/hooks\n      environments: [production]\n`;
    await kubectlOk(["apply", "-f", "-"], {
      namespace: ns.name,
      input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vexil-webhooks}\ndata:\n  endpoints.yaml: |\n${endpoints}`,
    });
    // the API server loads a new policy within a second or two: wait until a dry run is stamped
    await waitFor(async () => {
      const out = await as(
        "alice",
        ["create", "--dry-run=server", "-o", "json", "-f", "-"],
        flagYaml("probe", "description: probe"),
      );
      return out.includes('"flags.vexil.dev/last-modified-by": "alice"');
    }, 20_000);
    operator = spawn(
      process.execPath,
      [
        path.join(repoRoot, "cli", "main.ts"),
        "operator",
        "--namespace",
        ns.name,
        "--operator-namespace",
        ns.name,
        "--metrics-port",
        "0",
        "--metrics-host",
        "127.0.0.1",
        "--audit-log",
        "-",
        "--audit-log",
        auditFile,
      ],
      { env: { ...process.env, KUBECONFIG: kubeconfigPath() }, stdio: ["ignore", "pipe", "pipe"] },
    );
    operator.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    operator.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    await waitFor(() => stderr.includes("operator started"), 20_000);
  });

  afterAll(async () => {
    if (operator && operator.exitCode === null) {
      const exited = new Promise((resolve) => operator.once("exit", resolve));
      operator.kill("SIGTERM");
      await exited;
    }
    receiver?.close();
    // cluster-wide: the other test files run without the policy
    await kubectl(["delete", "-f", POLICY, "--ignore-not-found"]);
    await ns?.cleanup();
  });

  it("names alice and bob in the audit lines (stdout and file) and the Events, beside their tool", async () => {
    await as("alice", ["apply", "-f", "-"], checkout(10));
    const created = await recorded("Created", "checkout");
    expect(created).toMatchObject({ audit: true, user: "alice", fieldManager: "kubectl-client-side-apply" });
    expect(created.modifiedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await as("bob", ["apply", "--server-side", "--force-conflicts", "-f", "-"], checkout(50));
    const updated = await recorded("Updated", "checkout");
    expect(updated).toMatchObject({ user: "bob", fieldManager: "kubectl" });
    expect(updated.changes).toEqual([{ path: "spec.rollout.percentage", from: 10, to: 50 }]);

    // segments and experiments too
    await as("alice", ["apply", "-f", path.join(repoRoot, "examples", "button-color.yaml")]);
    await as("bob", ["patch", "experiment", "button-color-test", "--type", "merge", "-p", '{"spec":{"traffic":50}}']);
    expect(await recorded("Updated", "button-color-test")).toMatchObject({
      kind: "Experiment",
      user: "bob",
      fieldManager: "kubectl-patch",
      changes: [{ path: "spec.traffic", from: 100, to: 50 }],
    });
    await as("bob", ["apply", "-f", "-"], segmentYaml("beta", "user-1"));
    expect(await recorded("Created", "beta")).toMatchObject({ kind: "Segment", user: "bob" });

    const file = await waitFor(() => {
      const text = fs.existsSync(auditFile) ? fs.readFileSync(auditFile, "utf8") : "";
      return text.split("\n").length > lines().length ? text : undefined;
    }, 10_000);
    expect(
      file
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(lines());

    const messages = await waitFor(async () => {
      const events = (await eventsFor(ns.name, "checkout")).map((event) => event.message);
      return events.length >= 2 ? events : undefined;
    }, 15_000);
    expect(messages).toContain("created (by alice via kubectl-client-side-apply)");
    expect(messages).toContain("spec.rollout.percentage: 10 → 50 (by bob via kubectl)");

    // the signed snapshot.updated webhooks name who made the changes they carry
    await waitFor(() => delivered.some((entry) => entry.name === "checkout" && entry.user === "bob"), 15_000);
    expect(delivered).toContainEqual({
      kind: "FeatureFlag",
      name: "checkout",
      reason: "Created",
      user: "alice",
      fieldManager: "kubectl-client-side-apply",
    });
    expect(delivered).toContainEqual({
      kind: "FeatureFlag",
      name: "checkout",
      reason: "Updated",
      user: "bob",
      fieldManager: "kubectl",
    });
  });

  it("writes no audit record for an unchanged re-apply, client-side or server-side", async () => {
    const before = lines().filter((line) => line.name === "checkout").length;
    await as("alice", ["apply", "-f", "-"], checkout(50));
    await as("bob", ["apply", "--server-side", "--force-conflicts", "-f", "-"], checkout(50));
    // a later change as a marker: once it is recorded, the re-applies would have been too
    await as("alice", ["apply", "-f", "-"], segmentYaml("marker", "user-2"));
    expect(await recorded("Created", "marker")).toMatchObject({ user: "alice" });
    expect(lines().filter((line) => line.name === "checkout")).toHaveLength(before);
    const annotations = JSON.parse(await as("bob", ["get", "featureflag", "checkout", "-o", "json"])) as {
      metadata: { annotations: Record<string, string> };
    };
    expect(annotations.metadata.annotations["flags.vexil.dev/last-modified-by"]).toBe("bob");
  });

  it("records a deletion with the values it removed", async () => {
    await as("alice", ["delete", "featureflag", "checkout"]);
    const deleted = await recorded("Deleted", "checkout");
    expect(deleted.changes).toContainEqual({ path: "spec.rollout.percentage", from: 50 });
    expect(deleted.changes).toContainEqual({ path: "spec.description", from: "New checkout" });
    expect(deleted.summary).toMatch(/^deleted \(last changed by bob\): /);
    expect(deleted).not.toHaveProperty("user"); // admission cannot stamp a DELETE
  });

  it("names the Kubernetes user and the TypeScript API's actor (field manager vexil:<actor>), also once Events expired", async () => {
    const flags = createKubernetesFlags({ kubeconfig: kubeconfigPath(), namespace: ns.name, actor: "carol" });
    try {
      await flags.createFlag({ key: "from-api", enabled: true });
      expect(await recorded("Created", "from-api")).toMatchObject({ user: "vexil-admin", fieldManager: "vexil:carol" });
      const audit = await waitFor(async () => {
        const entries = await flags.getAuditLog({ flagKey: "from-api" });
        return entries.length > 0 ? entries : undefined;
      }, 15_000);
      expect(audit[0]).toMatchObject({ actor: "vexil-admin", action: "created" });
      // Events expire after an hour; the stamp on the resource lasts as long as it does
      await kubectlOk(["delete", "events", "--all"], { namespace: ns.name });
      const lasting = await flags.getAuditLog({ flagKey: "from-api" });
      expect(lasting).toEqual([
        {
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
          actor: "vexil-admin",
          action: "created",
          resource: { kind: "FeatureFlag", name: "from-api", namespace: ns.name },
          changes: [],
        },
      ]);
    } finally {
      await flags.close();
    }
  });
});

function segmentYaml(name: string, user: string): string {
  return `apiVersion: flags.vexil.dev/v1alpha1
kind: Segment
metadata: { name: ${name} }
spec:
  included: [${user}]
`;
}
