// An open-loop load generator at a fixed request rate, for latency at partial load.
// autocannon's overallRate is not used for this: it lets each connection send its whole
// per-second quota at the start of every second (bursts at peak speed, then silence), and its
// latency histogram has 1 ms resolution. Here requests are spread evenly (scheduled every
// 1/rate s, dispatched on a 1 ms timer tick). Latency runs from the moment a request is written;
// how late the client dispatched it against its schedule is reported apart (dispatch lag), so a
// load generator falling behind is visible instead of silently lowering the load.
import { Agent, request } from "node:http";
import { cpuSeconds } from "./proc.ts";
import type { OfrepRequest } from "./load.ts";
import type { RunningServer } from "./servers.ts";

export interface FixedRateResult {
  targetRate: number;
  achievedRate: number;
  completed: number;
  failures: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyP999Ms: number;
  latencyMaxMs: number;
  /** 99th percentile of how late requests left the client against their schedule */
  dispatchLagP99Ms: number;
  serverCores: number;
  clientCores: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Pending {
  agent: Agent;
  url: URL;
  latencies: number[];
  lags: number[];
  failures: number;
}

function send(state: Pending, r: OfrepRequest, scheduledAt: number, done: () => void): void {
  const body = Buffer.from(r.body);
  const sentAt = performance.now();
  state.lags.push(sentAt - scheduledAt);
  const req = request(
    {
      agent: state.agent,
      host: state.url.hostname,
      port: state.url.port,
      method: r.method,
      path: r.path,
      headers: { ...r.headers, "content-length": body.length },
    },
    (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 200) state.latencies.push(performance.now() - sentAt);
        else state.failures++;
        done();
      });
    },
  );
  req.on("error", () => {
    state.failures++;
    done();
  });
  req.end(body);
}

export function runFixedRate(
  server: RunningServer,
  requests: readonly OfrepRequest[],
  options: { rate: number; durationS: number; connections: number },
): Promise<FixedRateResult> {
  const state: Pending = {
    agent: new Agent({ keepAlive: true, maxSockets: options.connections }),
    url: new URL(server.ofrepUrl),
    latencies: [],
    lags: [],
    failures: 0,
  };
  const total = Math.round(options.rate * options.durationS);
  const cpuBefore = cpuSeconds(server.pid);
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  let sent = 0;
  let finished = 0;
  return new Promise((resolve) => {
    const finish = () => {
      const wallS = (performance.now() - start) / 1000;
      const client = process.cpuUsage(clientBefore);
      state.agent.destroy();
      const sorted = state.latencies.sort((a, b) => a - b);
      resolve({
        targetRate: options.rate,
        achievedRate: sorted.length / wallS,
        completed: sorted.length,
        failures: state.failures,
        latencyP50Ms: percentile(sorted, 50),
        latencyP99Ms: percentile(sorted, 99),
        latencyP999Ms: percentile(sorted, 99.9),
        latencyMaxMs: sorted[sorted.length - 1] ?? Number.NaN,
        dispatchLagP99Ms: percentile(
          state.lags.sort((a, b) => a - b),
          99,
        ),
        serverCores: (cpuSeconds(server.pid) - cpuBefore) / wallS,
        clientCores: (client.user + client.system) / 1e6 / wallS,
      });
    };
    const done = () => {
      if (++finished === total) finish();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.rate));
      for (; sent < due; sent++)
        send(state, requests[sent % requests.length]!, start + (sent * 1000) / options.rate, done);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}
