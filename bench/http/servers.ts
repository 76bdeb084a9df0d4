// Starting the servers under test as child processes on 127.0.0.1 free ports, waiting until
// they serve, and stopping them. The child's pid is the server's own (no shell in between),
// so /proc/<pid> measures the server and nothing else.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export interface RunningServer {
  name: string;
  pid: number;
  /** base URL of the OFREP API, e.g. http://127.0.0.1:PORT */
  ofrepUrl: string;
  /** milliseconds from spawn until ready */
  startupMs: number;
  stop: () => Promise<void>;
}

const REPO = fileURLToPath(new URL("../../", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

/** Polls `url` until it answers 2xx; fails early with the server's output if it exits. */
async function waitUntilReady(
  child: ChildProcess,
  url: string,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms:\n${output()}`);
}

async function launch(
  name: string,
  command: string,
  args: string[],
  readyUrl: string,
  ofrepUrl: string,
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const started = performance.now();
  const child = spawn(command, [...nodeArgs, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const stop = stopper(child);
  try {
    await waitUntilReady(child, readyUrl, () => output, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, pid: child.pid!, ofrepUrl, startupMs: performance.now() - started, stop };
}

/**
 * `vexil serve --flags DIR` with the pinned Node, logging warnings only (as in production);
 * `heapMiB` limits V8's heap as the Helm chart does (docs/limits.md, "Memory").
 */
export async function startVexil(flagsDir: string, heapMiB?: number): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    "cli/main.ts",
    "serve",
    "--flags",
    flagsDir,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--log-level",
    "warn",
  ];
  const base = `http://127.0.0.1:${port}`;
  const nodeArgs = heapMiB === undefined ? [] : [`--max-old-space-size=${heapMiB}`];
  return launch("vexil", process.execPath, args, `${base}/readyz`, base, nodeArgs);
}

/** `flagd start` from FLAGD_BIN, serving one flag file; every port it opens is a free one. */
export async function startFlagd(bin: string, flagFile: string): Promise<RunningServer> {
  const [port, management, ofrep, sync] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const args = [
    "start",
    "--uri",
    `file:${flagFile}`,
    "--port",
    String(port),
    "--management-port",
    String(management),
    "--ofrep-port",
    String(ofrep),
    "--sync-port",
    String(sync),
  ];
  return launch("flagd", bin, args, `http://127.0.0.1:${management}/readyz`, `http://127.0.0.1:${ofrep}`);
}

/** The do-nothing server of bench/http/null-server.ts: the latency floor of this machine. */
export async function startNullServer(): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  return launch(
    "floor (constant JSON)",
    process.execPath,
    ["bench/http/null-server.ts", String(port)],
    `${base}/readyz`,
    base,
  );
}
