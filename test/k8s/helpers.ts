// Small helpers for integration tests running against the cluster from test/k8s/global-setup.ts.
// They read KUBECONFIG and VEXIL_KUBECTL from the environment (set by the global setup), so they
// also work against `npm run cluster:up` (export KUBECONFIG=.vexil/kubeconfig) or a kind cluster.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (for `apply -f -`). */
  input?: string;
  /** Defaults to process.env.KUBECONFIG. */
  kubeconfig?: string;
  /** Adds `--namespace`. */
  namespace?: string;
  /** Kill kubectl after this long. Default 60 s. */
  timeoutMs?: number;
}

export function kubeconfigPath(): string {
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) {
    throw new Error(
      "KUBECONFIG is not set: run integration tests through the vitest `integration` project (test/k8s/global-setup.ts)",
    );
  }
  return kubeconfig;
}

export function kubectlBinary(): string {
  return process.env.VEXIL_KUBECTL || "kubectl";
}

/** Runs kubectl; never throws for a non-zero exit (check `code`), only when kubectl cannot start. */
export function kubectl(args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  const fullArgs = [`--kubeconfig=${opts.kubeconfig ?? kubeconfigPath()}`];
  if (opts.namespace) fullArgs.push(`--namespace=${opts.namespace}`);
  fullArgs.push(...args);
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(), fullArgs, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${kubectlBinary()}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout,
        stderr: signal ? `${stderr}\n(kubectl killed by ${signal})` : stderr,
      });
    });
    child.stdin.on("error", () => undefined); // kubectl may exit before reading stdin
    child.stdin.end(opts.input ?? "");
  });
}

/** Like kubectl() but throws with kubectl's stderr when it exits non-zero; returns stdout. */
export async function kubectlOk(args: string[], opts: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, opts);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace without waiting (without kube-controller-manager it stays Terminating). */
  cleanup(): Promise<void>;
}

/** Creates a namespace `<prefix>-<random>` labelled vexil.dev/test=true. */
export async function createTestNamespace(prefix = "test"): Promise<TestNamespace> {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  const name = `${base || "test"}-${randomBytes(4).toString("hex")}`;
  await kubectlOk(["create", "namespace", name]);
  await kubectlOk(["label", "namespace", name, "vexil.dev/test=true"]);
  return {
    name,
    async cleanup() {
      await kubectl(["delete", "namespace", name, "--wait=false", "--ignore-not-found"]);
    },
  };
}

/**
 * Polls `fn` until it returns a value other than undefined/null/false, and returns that value.
 * Errors thrown by `fn` count as "not yet"; on timeout the last error (or value) is reported.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms (last: ${detail})`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
