// `vexil operator` and `vexil serve --kubernetes` find the same kubeconfig in the same cases:
// both real processes run with a temporary HOME and no cluster around them, and either fail
// with the same error or send their first API request to the same server with the same
// credentials. The server is a plain HTTP listener on 127.0.0.1 that records who called and
// answers 503, so both commands keep retrying until they are stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const OPERATOR = ["operator", "--metrics-port", "0", "--metrics-host", "127.0.0.1", "--log-level", "error"];
/** Six commands start at once on a shared 2-core machine; loading the operator alone can take seconds. */
const STARTUP_MS = 90_000;
const SERVE = ["serve", "--kubernetes", "--port", "0", "--host", "127.0.0.1", "--log-level", "error"];

let dir: string;
let apiServer: string;
let server: Server;
/** Requests seen: who sent them (User-Agent) and with which credentials. */
const seen: { userAgent: string; authorization: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vexil-cli-kubeconfig-"));
  server = createServer((request, response) => {
    seen.push(caller(request.headers));
    response.writeHead(503, { "content-type": "application/json" }).end('{"kind":"Status","code":503}');
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  apiServer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

function caller(headers: IncomingHttpHeaders): { userAgent: string; authorization: string } {
  return { userAgent: String(headers["user-agent"]), authorization: String(headers.authorization) };
}

/** A kubeconfig for the recording server whose bearer token is `token` (unique per test). */
function kubeconfig(file: string, token: string): string {
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${apiServer}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: ${token} } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`,
  );
  return file;
}

/** A HOME with or without ~/.kube/config, and an environment with no other cluster in it. */
function environment(name: string, homeToken?: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = join(dir, name);
  mkdirSync(join(home, ".kube"), { recursive: true });
  if (homeToken) kubeconfig(join(home, ".kube", "config"), homeToken);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const name of ["KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAMESPACE"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs the command until it exits (resolving its stderr) or is stopped. */
function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<string> } {
  const child = spawn(NODE, [join(ROOT, "cli/main.ts"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: new Promise((done) => child.once("exit", () => done(stderr))) };
}

/** The error each command prints when it cannot start, without the command's own prefix. */
async function startupError(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const stderr = await start(args, env).exited;
  return stderr.replace(/^vexil (operator|serve): /, "").trim();
}

/**
 * The credentials the command's first API request carries. Every token in a test starts with
 * the test's own prefix, so tests running at once never read each other's requests.
 */
async function firstRequestToken(
  args: string[],
  env: NodeJS.ProcessEnv,
  userAgent: string,
  prefix: string,
): Promise<string> {
  const { child, exited } = start(args, env);
  const early = exited.then((stderr) => `exited before calling the API server: ${stderr}`);
  const mine = (entry: (typeof seen)[number]): boolean =>
    entry.userAgent === userAgent && entry.authorization.startsWith(`Bearer ${prefix}-`);
  const called = (async () => {
    await expect.poll(() => seen.some(mine), { timeout: STARTUP_MS }).toBe(true);
    return seen.find(mine)?.authorization ?? "";
  })();
  try {
    return await Promise.race([called, early]);
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

/** Both commands at once (the recording server tells them apart by User-Agent). */
function bothTokens(prefix: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<string[]> {
  return Promise.all([
    firstRequestToken([...OPERATOR, ...extraArgs], env, "vexil-operator", prefix),
    firstRequestToken([...SERVE, ...extraArgs], env, "vexil-evaluator", prefix),
  ]);
}

describe.concurrent(
  "vexil operator and vexil serve --kubernetes resolve the same kubeconfig",
  { timeout: 2 * STARTUP_MS },
  () => {
    it("none found: both fail with the same error", async () => {
      const env = environment("none");
      const [operator, serve] = await Promise.all([startupError(OPERATOR, env), startupError(SERVE, env)]);
      expect(operator).toMatch(/^no kubeconfig found: /);
      expect(serve).toBe(operator);
    });

    it("a --kubeconfig that does not exist: both refuse it the same way", async () => {
      const env = environment("missing", "missing-home");
      const args = ["--kubeconfig", join(dir, "missing-file")];
      const [operator, serve] = await Promise.all([
        startupError([...OPERATOR, ...args], env),
        startupError([...SERVE, ...args], env),
      ]);
      expect(operator).toBe(`kubeconfig ${join(dir, "missing-file")} (named by --kubeconfig) does not exist`);
      expect(serve).toBe(operator);
    });

    it("~/.kube/config: both use it", async () => {
      const tokens = await bothTokens("home", environment("home", "home-token"));
      expect(tokens).toEqual(["Bearer home-token", "Bearer home-token"]);
    });

    it("$KUBECONFIG: both prefer it to ~/.kube/config", async () => {
      const file = kubeconfig(join(dir, "env-kubeconfig"), "env-token");
      const env = environment("env", "env-home-token", { KUBECONFIG: file });
      expect(await bothTokens("env", env)).toEqual(["Bearer env-token", "Bearer env-token"]);
    });

    it("--kubeconfig PATH: both prefer it to $KUBECONFIG and ~/.kube/config", async () => {
      const explicit = kubeconfig(join(dir, "explicit-kubeconfig"), "explicit-token");
      const fromEnv = kubeconfig(join(dir, "explicit-env-kubeconfig"), "explicit-env-token");
      const env = environment("explicit", "explicit-home-token", { KUBECONFIG: fromEnv });
      expect(await bothTokens("explicit", env, ["--kubeconfig", explicit])).toEqual([
        "Bearer explicit-token",
        "Bearer explicit-token",
      ]);
    });
  },
);
