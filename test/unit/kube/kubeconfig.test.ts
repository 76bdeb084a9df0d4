// The one kubeconfig loader, one precedence step at a time: each test sets up every step
// below the one it proves (so a wrong order picks a different server), in temporary
// directories: a temporary HOME for ~/.kube/config, a temporary root for the service account.
import { KubeConfig } from "@kubernetes/client-node";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadKubeConfig, podNamespace, resolveKubeconfig, SERVICE_ACCOUNT_DIR } from "../../../kube/kubeconfig.ts";

let dir: string;
let home: string;
let root: string;

/** Writes a kubeconfig whose one cluster is `server`, with a bearer token naming it; returns its path. */
function kubeconfigFile(name: string, server: string, file = join(dir, name)): string {
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{ name: ${name}, cluster: { server: "${server}" } }]`,
      `users: [{ name: ${name}, user: { token: ${name}-token } }]`,
      `contexts: [{ name: ${name}, context: { cluster: ${name}, user: ${name} } }]`,
      `current-context: ${name}`,
      "",
    ].join("\n"),
  );
  return file;
}

function homeKubeconfig(server: string): void {
  mkdirSync(join(home, ".kube"));
  kubeconfigFile("home", server, join(home, ".kube", "config"));
}

function serviceAccount(): string {
  const account = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(account, { recursive: true });
  writeFileSync(join(account, "token"), "pod-token");
  writeFileSync(join(account, "ca.crt"), "not used until a request is made");
  writeFileSync(join(account, "namespace"), "flags-system");
  return account;
}

function inCluster(): void {
  vi.stubEnv("KUBERNETES_SERVICE_HOST", "10.96.0.1");
  vi.stubEnv("KUBERNETES_SERVICE_PORT", "443");
  serviceAccount();
}

const serverOf = (config: KubeConfig): string | undefined => config.getCurrentCluster()?.server;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vexil-kubeconfig-"));
  home = join(dir, "home");
  root = join(dir, "root");
  mkdirSync(home);
  mkdirSync(root);
  vi.stubEnv("HOME", home);
  vi.stubEnv("KUBECONFIG", undefined);
  vi.stubEnv("KUBERNETES_SERVICE_HOST", undefined);
  vi.stubEnv("KUBERNETES_SERVICE_PORT", undefined);
  vi.stubEnv("POD_NAMESPACE", undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("kubeconfig precedence", () => {
  it("1. an explicit path wins over $KUBECONFIG, in-cluster and ~/.kube/config", () => {
    const explicit = kubeconfigFile("explicit", "https://127.0.0.1:1001");
    vi.stubEnv("KUBECONFIG", kubeconfigFile("env", "https://127.0.0.1:1002"));
    inCluster();
    homeKubeconfig("https://127.0.0.1:1004");
    expect(resolveKubeconfig(explicit, { root })).toEqual({ source: "explicit", files: [explicit] });
    expect(serverOf(loadKubeConfig(explicit, { root }))).toBe("https://127.0.0.1:1001");
  });

  it("2. $KUBECONFIG wins over in-cluster and ~/.kube/config", () => {
    const fromEnv = kubeconfigFile("env", "https://127.0.0.1:1002");
    vi.stubEnv("KUBECONFIG", fromEnv);
    inCluster();
    homeKubeconfig("https://127.0.0.1:1004");
    expect(resolveKubeconfig(undefined, { root })).toEqual({ source: "KUBECONFIG", files: [fromEnv] });
    expect(serverOf(loadKubeConfig(undefined, { root }))).toBe("https://127.0.0.1:1002");
  });

  it("3. in-cluster (KUBERNETES_SERVICE_HOST and a service account token) wins over ~/.kube/config", () => {
    inCluster();
    homeKubeconfig("https://127.0.0.1:1004");
    const account = join(root, SERVICE_ACCOUNT_DIR);
    expect(resolveKubeconfig(undefined, { root })).toEqual({ source: "in-cluster", files: [account] });
    const config = loadKubeConfig(undefined, { root });
    expect(serverOf(config)).toBe("https://10.96.0.1:443");
    expect(config.getCurrentCluster()?.caFile).toBe(join(account, "ca.crt"));
    expect(config.getCurrentUser()?.authProvider?.config.tokenFile).toBe(join(account, "token"));
    expect(podNamespace(undefined, { root })).toBe("flags-system");
  });

  it("4. ~/.kube/config when nothing above applies", () => {
    homeKubeconfig("https://127.0.0.1:1004");
    expect(resolveKubeconfig(undefined, { root })).toEqual({ source: "home", files: [join(home, ".kube", "config")] });
    expect(serverOf(loadKubeConfig(undefined, { root }))).toBe("https://127.0.0.1:1004");
  });

  it("none found: one error naming every step and what it found", () => {
    const missing = join(home, ".kube", "config");
    expect(() => loadKubeConfig(undefined, { root })).toThrow(
      new Error(
        "no kubeconfig found: no --kubeconfig PATH (in TypeScript: the kubeconfig option), $KUBECONFIG is not set, " +
          `not in a cluster (KUBERNETES_SERVICE_HOST is not set), and ${missing} does not exist`,
      ),
    );
  });
});

describe("kubeconfig loader details", () => {
  it("falls through to ~/.kube/config when KUBERNETES_SERVICE_HOST is set without a mounted token", () => {
    vi.stubEnv("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    homeKubeconfig("https://127.0.0.1:1004");
    expect(serverOf(loadKubeConfig(undefined, { root }))).toBe("https://127.0.0.1:1004");
    rmSync(join(home, ".kube"), { recursive: true });
    expect(() => loadKubeConfig(undefined, { root })).toThrow(
      `not in a cluster (KUBERNETES_SERVICE_HOST is set but ${root}${SERVICE_ACCOUNT_DIR}/token does not exist)`,
    );
  });

  it("refuses a named file that is missing instead of falling through to another cluster", () => {
    homeKubeconfig("https://127.0.0.1:1004");
    const missing = join(dir, "nope");
    expect(() => loadKubeConfig(missing, { root })).toThrow(
      new Error(`kubeconfig ${missing} (named by --kubeconfig) does not exist`),
    );
    vi.stubEnv("KUBECONFIG", missing);
    expect(() => loadKubeConfig(undefined, { root })).toThrow(
      new Error(`kubeconfig ${missing} (named by $KUBECONFIG) does not exist`),
    );
  });

  it("merges a $KUBECONFIG list like kubectl: the first file's current context wins", () => {
    const first = kubeconfigFile("first", "https://127.0.0.1:2001");
    const second = kubeconfigFile("second", "https://127.0.0.1:2002");
    vi.stubEnv("KUBECONFIG", [first, second].join(delimiter));
    const config = loadKubeConfig(undefined, { root });
    expect(serverOf(config)).toBe("https://127.0.0.1:2001");
    expect(config.getContexts().map((context) => context.name)).toEqual(["first", "second"]);
  });

  it("names the file when it is not a kubeconfig or has no current cluster", () => {
    const broken = join(dir, "broken");
    writeFileSync(broken, "clusters: [unclosed");
    expect(() => loadKubeConfig(broken)).toThrow(
      new RegExp(`^kubeconfig ${broken} \\(from --kubeconfig\\) cannot be read: `),
    );
    const empty = join(dir, "empty");
    writeFileSync(empty, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
    expect(() => loadKubeConfig(empty)).toThrow(
      new Error(`kubeconfig ${empty} (from --kubeconfig) has no current cluster`),
    );
  });

  it("uses a KubeConfig that is passed in as it is", () => {
    const config = new KubeConfig();
    expect(loadKubeConfig(config)).toBe(config);
  });
});
