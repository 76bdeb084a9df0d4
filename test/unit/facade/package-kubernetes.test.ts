// The Kubernetes backend is a separate entry point: "vexil/kubernetes" brings
// @kubernetes/client-node, "vexil" must not (an SDK user evaluating locally should not pay ~50 MiB
// for a client it never uses). Like package-import.test.ts this resolves the built package
// (exports → dist/), so run `npm run build` first; `npm test` does.
import { execFile } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, VexilError } from "vexil";
import { KubernetesFlagStorage, createKubernetesFlags } from "vexil/kubernetes";

const run = promisify(execFile);

/** The modules a fresh Node process resolves while importing `specifier`, from the package root. */
async function modulesLoadedBy(specifier: string): Promise<string[]> {
  const script = `
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });
    await import(${JSON.stringify(specifier)});
    process.stdout.write(JSON.stringify(seen));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "--eval", script], {
    cwd: new URL("../../..", import.meta.url),
  });
  return JSON.parse(stdout) as string[];
}

/** A 127.0.0.1 port nothing listens on (fetch refuses well-known ports such as 9 outright). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A kubeconfig for an API server that is not there. */
function unreachableCluster(port = 1): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "nowhere", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "nobody" }],
    contexts: [{ name: "nowhere", cluster: "nowhere", user: "nobody" }],
    currentContext: "nowhere",
  });
  return config;
}

describe('import "vexil/kubernetes"', () => {
  it('leaves @kubernetes/client-node out of import "vexil"', async () => {
    const loaded = await modulesLoadedBy("vexil");
    expect(loaded.some((url) => url.endsWith("/dist/api/index.js"))).toBe(true);
    expect(loaded.filter((url) => url.includes("@kubernetes/client-node"))).toEqual([]);
  });

  it("loads the Kubernetes client only through the vexil/kubernetes entry point", async () => {
    const loaded = await modulesLoadedBy("vexil/kubernetes");
    expect(loaded.some((url) => url.endsWith("/dist/api/kubernetes.js"))).toBe(true);
    expect(loaded.some((url) => url.includes("@kubernetes/client-node"))).toBe(true);
  });

  it("gives a FeatureFlagsInteraction of the main entry point, backed by the custom resources", () => {
    const flags = createKubernetesFlags({ kubeconfig: unreachableCluster(), namespace: "shop" });
    expect(flags).toBeInstanceOf(FeatureFlagsInteraction);
    expect(flags.environment).toBe("production");
    expect(
      createKubernetesFlags({ kubeconfig: unreachableCluster(), namespace: "shop", environment: "staging" })
        .environment,
    ).toBe("staging");
    expect(new KubernetesFlagStorage({ kubeconfig: unreachableCluster(), namespace: "shop" })).toBeInstanceOf(
      KubernetesFlagStorage,
    );
    // the earlier spelling stays accepted (deprecated)
    expect(new KubernetesFlagStorage({ kubeConfig: unreachableCluster(), namespace: "shop" })).toBeInstanceOf(
      KubernetesFlagStorage,
    );
  });

  it("refuses a namespace Kubernetes would not accept, naming it", () => {
    expect(() => createKubernetesFlags({ kubeconfig: unreachableCluster(), namespace: "Shop_1" })).toThrow(
      /^invalid namespace "Shop_1": /,
    );
  });

  it("reports an unreachable API server as STORAGE_ERROR naming the namespace, not a response dump", async () => {
    const flags = createKubernetesFlags({ kubeconfig: unreachableCluster(await closedPort()), namespace: "shop" });
    const error = await flags.createFlag({ key: "new-checkout" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexilError);
    expect(error).toMatchObject({ code: "STORAGE_ERROR" });
    expect((error as VexilError).message).toMatch(
      /^cannot read FeatureFlag "new-checkout" in namespace shop: .*ECONNREFUSED/,
    );
    expect((error as VexilError).message).not.toContain("\n");
  });
});
