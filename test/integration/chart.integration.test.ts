// The Helm chart, with the pinned helm built from its Go module (test/k8s/helm.ts): it lints, its
// values schema refuses bad values, it renders with the default and a full values file, the
// rendered manifests pass server-side validation on the test API server, and a real install,
// upgrade and uninstall leave no object behind but the CRDs.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { loadAll } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureHelm } from "../k8s/helm.ts";
import { kubeconfigPath, kubectl, kubectlOk } from "../k8s/helpers.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const chart = path.join(root, "charts/vexil");
const fullValues = path.join(root, "test/fixtures/chart/full-values.yaml");
let helmBinary = "";

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

async function helm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(helmBinary, [...args, `--kubeconfig=${kubeconfigPath()}`], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function render(...args: string[]): Promise<{ yaml: string; manifests: Manifest[] }> {
  const result = await helm(["template", "vexil", chart, "--namespace", "chart-system", ...args]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return {
    yaml: result.stdout,
    manifests: (loadAll(result.stdout) as Array<Manifest | null>).filter((m) => m !== null),
  };
}

const named = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered`);
  return found;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deep pod spec reads
const podSpec = (deployment: Manifest): any => (deployment.spec as any).template.spec;

beforeAll(async () => {
  helmBinary = await ensureHelm();
  await kubectl(["create", "namespace", "chart-system"]);
  await kubectl(["create", "namespace", "chart-flags"]);
}, 900_000);

describe("the Helm chart", () => {
  it("passes helm lint with the default and the full values", async () => {
    for (const values of [[], ["--values", fullValues]]) {
      const result = await helm(["lint", "--strict", chart, ...values]);
      expect(result.stdout + result.stderr).toContain("1 chart(s) linted, 0 chart(s) failed");
    }
  });

  it("refuses values of the wrong type or unknown keys, naming them", async () => {
    const wrongType = await helm(["template", "vexil", chart, "--set", "evaluator.replicas=two"]);
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stderr).toMatch(/evaluator.*replicas/s);
    const typo = await helm(["template", "vexil", chart, "--set", "evaluator.replica=3"]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("replica");
    const audit = await helm(["template", "vexil", chart, "--set", "operator.audit.stdout=yes"]);
    expect(audit.code).not.toBe(0);
    expect(audit.stderr).toMatch(/audit.*stdout/s);
  });

  it("renders a non-root, read-only pod with probes and limits by default", async () => {
    const { manifests } = await render();
    for (const name of ["vexil-operator", "vexil-evaluator"]) {
      const spec = podSpec(named(manifests, "Deployment", name));
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const container = spec.containers[0];
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(container.readinessProbe.httpGet.path).toBe("/readyz");
      expect(container.resources.limits.memory).toBeDefined();
    }
    // the audit trail on stdout, and the policy stamping who changed a resource, are on by default
    expect(podSpec(named(manifests, "Deployment", "vexil-operator")).containers[0].args.join(" ")).toContain(
      "--audit-log -",
    );
    expect(named(manifests, "MutatingAdmissionPolicy", "vexil-audit-stamp").spec).toMatchObject({
      failurePolicy: "Fail",
    });
    expect(named(manifests, "MutatingAdmissionPolicyBinding", "vexil-audit-stamp").spec).toEqual({
      policyName: "vexil-audit-stamp",
    });
    expect(named(manifests, "PodDisruptionBudget", "vexil-evaluator").spec).toMatchObject({ minAvailable: 1 });
    const kinds = manifests.map((m) => m.kind);
    for (const optional of ["HorizontalPodAutoscaler", "ServiceMonitor", "NetworkPolicy"])
      expect(kinds).not.toContain(optional);
  });

  it("renders every option of the full values file", async () => {
    const { manifests } = await render("--values", fullValues);
    const operator = podSpec(named(manifests, "Deployment", "vexil-operator"));
    const args: string[] = operator.containers[0].args;
    // both sinks: stdout for the log pipeline and the file on its volume
    expect(args.join(" ")).toContain("--audit-log - --audit-log /var/log/vexil/audit.jsonl");
    expect(args.join(" ")).toContain("--events-database $(VEXIL_EVENTS_DATABASE)");
    expect(operator.containers[0].env).toContainEqual({
      name: "VEXIL_EVENTS_DATABASE",
      valueFrom: { secretKeyRef: { name: "vexil-events", key: "url" } },
    });
    expect(operator.volumes).toContainEqual({ name: "audit", emptyDir: { sizeLimit: "256Mi" } });
    expect(operator.imagePullSecrets).toEqual([{ name: "registry-credentials" }]);
    const evaluator = named(manifests, "Deployment", "vexil-evaluator");
    expect(evaluator.metadata.namespace).toBe("chart-flags");
    expect(evaluator.spec).not.toHaveProperty("replicas"); // the HPA owns it
    expect(named(manifests, "HorizontalPodAutoscaler", "vexil-evaluator").spec).toMatchObject({ maxReplicas: 6 });
    expect(named(manifests, "ConfigMap", "vexil-webhooks").data?.["endpoints.yaml"]).toContain("hooks.example.com");
    expect(manifests.filter((m) => m.kind === "ServiceMonitor")).toHaveLength(2);
    expect(manifests.filter((m) => m.kind === "NetworkPolicy")).toHaveLength(2);
  });

  it("renders manifests the API server accepts (server-side dry run)", async () => {
    for (const values of [[], ["--values", fullValues]]) {
      const { manifests } = await render(...values);
      // The test API server has no Prometheus Operator CRDs: ServiceMonitors are checked by shape above.
      const appliable = manifests.filter((m) => m.kind !== "ServiceMonitor");
      const input = appliable.map((m) => JSON.stringify(m)).join("\n");
      // cluster-wide objects (the admission policy) may already be applied by another test file: a dry run
      // takes them over without changing anything, so the result does not depend on file order
      const out = await kubectlOk(
        [
          "apply",
          "--server-side",
          "--force-conflicts",
          "--field-manager=vexil-chart-test",
          "--dry-run=server",
          "-f",
          "-",
        ],
        { input },
      );
      expect(out).toMatch(/deployment.apps\/vexil-evaluator serverside-applied \(server dry run\)/);
    }
  });

  it("installs, upgrades and uninstalls, leaving only the CRDs", async () => {
    // The admission policies' cluster-wide names belong to deploy/ in this cluster, and it has no
    // ServiceMonitor CRD: both off, every other option of the full values on.
    const release = [
      "chart-it",
      chart,
      "--namespace",
      "chart-system",
      "--set",
      "admissionPolicy.enabled=false,auditPolicy.enabled=false,serviceMonitor.enabled=false",
    ];
    const install = await helm([
      "install",
      ...release,
      "--values",
      fullValues,
      "--set",
      "evaluator.namespace=chart-flags",
    ]);
    expect(install.stderr).toBe("");
    expect(install.code).toBe(0);
    const deployments = await kubectlOk([
      "get",
      "deployments",
      "-A",
      "-l",
      "app.kubernetes.io/instance=chart-it",
      "-o",
      "name",
    ]);
    expect(deployments.trim().split("\n").sort()).toEqual([
      "deployment.apps/chart-it-vexil-evaluator",
      "deployment.apps/chart-it-vexil-operator",
    ]);
    const upgrade = await helm(["upgrade", ...release, "--reuse-values", "--set", "evaluator.environment=production"]);
    expect(upgrade.code).toBe(0);
    const args = await kubectlOk([
      "get",
      "deployment",
      "chart-it-vexil-evaluator",
      "-n",
      "chart-flags",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].args}",
    ]);
    expect(args).toContain('"production"');
    const uninstall = await helm(["uninstall", "chart-it", "--namespace", "chart-system", "--wait"]);
    expect(uninstall.code).toBe(0);
    const kinds =
      "deployments,services,configmaps,serviceaccounts,roles,rolebindings,poddisruptionbudgets,horizontalpodautoscalers,networkpolicies,secrets";
    const left = await kubectlOk(["get", kinds, "-A", "-l", "app.kubernetes.io/instance=chart-it", "-o", "name"]);
    expect(left.trim()).toBe("");
    const cluster = await kubectlOk(["get", "clusterroles,clusterrolebindings", "-o", "name"]);
    expect(cluster).not.toContain("chart-it");
    expect(await kubectlOk(["get", "crd", "featureflags.flags.vexil.dev", "-o", "name"])).toContain("featureflags");
  });
});
