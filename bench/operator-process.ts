// The operator as the benchmark runs it: a child process (`node cli/main.ts operator`, as in
// production) whose memory is read from /proc and whose work is read from its own /metrics.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export interface OperatorProcess {
  child: ChildProcess;
  /** Prometheus metrics summed over labels, by name (label filter: `name{reason="Created"}`) */
  metrics(): Promise<Map<string, number>>;
  /** resident and peak resident memory (VmRSS, VmHWM) in MiB */
  memory(): { rssMiB: number; peakRssMiB: number };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function procStatusMiB(pid: number, field: string): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** `name{a="x"} 3` lines → totals by name, and by name plus each single label. */
export function parseMetrics(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (key: string, value: number): void => void totals.set(key, (totals.get(key) ?? 0) + value);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? ([-+\deE.]+|NaN)$/.exec(line);
    if (!match?.[1] || !match[3]) continue;
    const value = Number(match[3]);
    add(match[1], value);
    for (const label of (match[2] ?? "").match(/\w+="[^"]*"/g) ?? []) add(`${match[1]}{${label}}`, value);
  }
  return totals;
}

export async function startOperatorProcess(
  kubeconfig: string,
  namespace: string,
  nodeOptions: string[] = [],
  operatorArgs: string[] = [],
): Promise<OperatorProcess> {
  const port = await freePort();
  const operator = [
    "operator",
    "--namespace",
    namespace,
    "--metrics-port",
    String(port),
    "--metrics-host",
    "127.0.0.1",
    "--log-level",
    "warn",
    ...operatorArgs,
  ];
  const args = [...nodeOptions, path.join(root, "cli", "main.ts"), ...operator];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const kill = (): boolean => child.kill("SIGKILL");
  process.once("exit", kill);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    metrics: async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        return parseMetrics(await response.text());
      } catch {
        return new Map(); // not listening yet
      }
    },
    memory: () => ({
      rssMiB: procStatusMiB(child.pid ?? 0, "VmRSS"),
      peakRssMiB: procStatusMiB(child.pid ?? 0, "VmHWM"),
    }),
    stop: async () => {
      process.off("exit", kill);
      child.kill("SIGTERM");
      await exited;
    },
  };
}
