// The install manifests users apply (`kubectl apply -f crds/ -f deploy/`) are valid on a real
// API server: namespace, RBAC, Deployments and Services pass server-side validation, and the
// operator's and evaluator's service accounts hold exactly the permissions they need.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { kubectl, kubectlOk } from "../k8s/helpers.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const deploy = (file: string): string => path.join(root, "deploy", file);

describe("deploy manifests", () => {
  it("apply on the API server (namespace, RBAC, operator, evaluator)", async () => {
    await kubectlOk(["apply", "-f", path.join(root, "crds")]);
    await kubectlOk(["apply", "-f", deploy("namespace.yaml")]);
    const out = await kubectlOk([
      "apply",
      "--server-side",
      "-f",
      deploy("rbac"),
      "-f",
      deploy("operator.yaml"),
      "-f",
      deploy("evaluator.yaml"),
    ]);
    expect(out).toMatch(/deployment.apps\/vexil-operator serverside-applied/);
    expect(out).toMatch(/deployment.apps\/vexil-evaluator serverside-applied/);
  });

  it("give the operator what it reconciles with, and nothing it does not need", async () => {
    const can = async (verb: string, resource: string, namespace: string, subresource?: string): Promise<string> =>
      (
        await kubectl([
          "auth",
          "can-i",
          verb,
          resource,
          "-n",
          namespace,
          "--as",
          "system:serviceaccount:vexil-system:vexil-operator",
          ...(subresource ? [`--subresource=${subresource}`] : []),
        ])
      ).stdout.trim();
    expect(await can("watch", "featureflags.flags.vexil.dev", "shop")).toBe("yes");
    expect(await can("patch", "featureflags.flags.vexil.dev", "shop", "status")).toBe("yes");
    expect(await can("update", "configmaps", "shop")).toBe("yes");
    expect(await can("create", "leases.coordination.k8s.io", "vexil-system")).toBe("yes");
    expect(await can("update", "featureflags.flags.vexil.dev", "shop")).toBe("no");
    expect(await can("get", "secrets", "shop")).toBe("no");
    expect(await can("delete", "pods", "shop")).toBe("no");
  });

  it("let the evaluator read ConfigMaps in its own namespace only", async () => {
    const can = async (verb: string, resource: string, namespace: string): Promise<string> =>
      (
        await kubectl([
          "auth",
          "can-i",
          verb,
          resource,
          "-n",
          namespace,
          "--as",
          "system:serviceaccount:default:vexil-evaluator",
        ])
      ).stdout.trim();
    expect(await can("watch", "configmaps", "default")).toBe("yes");
    expect(await can("update", "configmaps", "default")).toBe("no");
    expect(await can("watch", "configmaps", "shop")).toBe("no");
    expect(await can("get", "secrets", "default")).toBe("no");
  });
});
