// Driving a server with autocannon (in this process) while reading the server's CPU time, and
// checking first that it serves the right answers: every request is an OFREP single-flag
// evaluation, rotating over the four benchmark flags and 1000 users.
import autocannon from "autocannon";
import { benchUsers, CASE_IDS, FLAG_KEYS, ROLLOUT_PERCENTAGE, SPLIT_WEIGHTS } from "../cases.ts";
import { cpuSeconds } from "./proc.ts";
import type { RunningServer } from "./servers.ts";

export interface OfrepRequest {
  method: "POST";
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** 1000 requests: request k evaluates flag k mod 4 for user k. */
export function ofrepRequests(): OfrepRequest[] {
  return benchUsers().map((user, k) => ({
    method: "POST",
    path: `/ofrep/v1/evaluate/flags/${FLAG_KEYS[CASE_IDS[k % CASE_IDS.length]!]}`,
    body: JSON.stringify({ context: { targetingKey: user.id, country: user.country, plan: user.plan } }),
    headers: { "content-type": "application/json" },
  }));
}

/** Sends each request once and checks the answers; returns what was observed, or throws. */
export async function checkAnswers(server: RunningServer, requests: readonly OfrepRequest[]): Promise<string> {
  const byFlag = new Map<string, unknown[]>();
  for (const request of requests) {
    const response = await fetch(server.ofrepUrl + request.path, {
      method: "POST",
      body: request.body,
      headers: request.headers,
    });
    const body = (await response.json()) as { key?: string; value?: unknown };
    if (response.status !== 200 || body.key === undefined)
      throw new Error(`${server.name} ${request.path}: ${response.status} ${JSON.stringify(body)}`);
    byFlag.set(body.key, [...(byFlag.get(body.key) ?? []), body.value]);
  }
  const share = (key: string, value: unknown) => {
    const values = byFlag.get(key) ?? [];
    return (100 * values.filter((v) => v === value).length) / Math.max(1, values.length);
  };
  const problems: string[] = [];
  const expect = (what: string, got: number, want: number, tolerance: number) => {
    if (Math.abs(got - want) > tolerance) problems.push(`${what}: ${got.toFixed(1)}%, expected ~${want}%`);
  };
  expect("static on", share(FLAG_KEYS.static, true), 100, 0);
  expect("rule matched", share(FLAG_KEYS.rule, true), 100, 0);
  // 250 users per flag here: a wider tolerance than the engine check's 1000 users
  expect("rollout on", share(FLAG_KEYS.rollout, true), ROLLOUT_PERCENTAGE, 8);
  for (const [variant, weight] of Object.entries(SPLIT_WEIGHTS))
    expect(`split ${variant}`, share(FLAG_KEYS.split, variant), weight, 9);
  if (problems.length > 0) throw new Error(`${server.name} serves wrong answers: ${problems.join("; ")}`);
  const split = Object.keys(SPLIT_WEIGHTS)
    .map((v) => `${v} ${share(FLAG_KEYS.split, v).toFixed(0)}%`)
    .join("/");
  return `static and rule 100% on, rollout ${share(FLAG_KEYS.rollout, true).toFixed(0)}% on, split ${split}`;
}

export interface LoadResult {
  connections: number;
  requestsPerSecond: number;
  totalRequests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  failures: number;
  /** server CPU seconds per wall second during the run (1.0 = one core busy) */
  serverCores: number;
  /** requests served per second of server CPU time: throughput per core */
  requestsPerCpuSecond: number;
  /** the load generator's own CPU use per wall second (it shares the machine) */
  clientCores: number;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
}

export async function runLoad(
  server: RunningServer,
  requests: readonly OfrepRequest[],
  options: LoadOptions,
): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(server.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({
    url: server.ofrepUrl,
    connections: options.connections,
    duration: options.durationS,
    requests: requests.map((r) => ({ ...r })),
  });
  const wallS = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(server.pid) - cpuBefore;
  const client = process.cpuUsage(clientBefore);
  const failures = result.errors + result.timeouts + result.non2xx;
  return {
    connections: options.connections,
    requestsPerSecond: result.requests.total / result.duration,
    totalRequests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    failures,
    serverCores: serverCpu / wallS,
    requestsPerCpuSecond: serverCpu > 0 ? result.requests.total / serverCpu : 0,
    clientCores: (client.user + client.system) / 1e6 / wallS,
  };
}
