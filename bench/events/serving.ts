// Events through a real `vexil serve` process: ingestion (POST /v1/events, batches of 100 unique
// events, until the store has them all) and evaluation throughput with exposure recording on
// and off. CPU time is read from /proc, so figures are per evaluator core.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import autocannon from "autocannon";
import { EXPERIMENT_YAML, spawnServe, type ServeProcess } from "../../test/integration/experiment-processes.ts";
import { cpuSeconds } from "../http/proc.ts";

export interface IngestFigure {
  store: string;
  events: number;
  seconds: number;
  cpuSeconds: number;
  perCoreSecond: number;
}

export interface EvaluateFigure {
  recording: string;
  requests: number;
  requestsPerSecond: number;
  cpuPerRequestMicros: number;
}

function flagsDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "vexil-bench-events-"));
  writeFileSync(path.join(dir, "button.yaml"), EXPERIMENT_YAML("button"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function written(server: ServeProcess): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^vexil_events_written_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** `batches` POSTs of 100 unique conversion events, 8 in flight; done when all are in the store. */
export async function ingest(
  storeName: string,
  eventsDatabase: string | undefined,
  batches: number,
): Promise<IngestFigure> {
  const { dir, cleanup } = flagsDir();
  const server = await spawnServe(["--flags", dir, ...(eventsDatabase ? ["--events-database", eventsDatabase] : [])]);
  try {
    const bodies = Array.from({ length: batches }, (_, b) =>
      JSON.stringify(
        Array.from({ length: 100 }, (_, i) => ({ type: "conversion", event: "purchase", targetingKey: `u-${b}-${i}` })),
      ),
    );
    const cpu0 = cpuSeconds(server.child.pid!);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${server.url}/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}`);
        await response.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const events = batches * 100;
    while ((await written(server)) < events) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(server.child.pid!) - cpu0;
    return { store: storeName, events, seconds, cpuSeconds: cpu, perCoreSecond: events / cpu };
  } finally {
    await server.stop();
    cleanup();
  }
}

/** OFREP evaluations of the experiment's flag, each for a new user (so each records an exposure when on). */
export async function evaluate(recording: string, args: string[], durationSeconds: number): Promise<EvaluateFigure> {
  const { dir, cleanup } = flagsDir();
  const server = await spawnServe(["--flags", dir, ...args]);
  try {
    let user = 0;
    const run = async (duration: number) => {
      const cpu0 = cpuSeconds(server.child.pid!);
      const result = await autocannon({
        url: server.url,
        connections: 16,
        duration,
        requests: [
          {
            method: "POST",
            path: "/ofrep/v1/evaluate/flags/button",
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: `{"context":{"targetingKey":"user-${user++}"}}` }),
          },
        ],
      });
      return { result, cpu: cpuSeconds(server.child.pid!) - cpu0 };
    };
    await run(2); // warm up: JIT, connections
    const { result, cpu } = await run(durationSeconds);
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${recording}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const requests = result.requests.total;
    return {
      recording,
      requests,
      requestsPerSecond: requests / result.duration,
      cpuPerRequestMicros: (cpu / requests) * 1e6,
    };
  } finally {
    await server.stop();
    cleanup();
  }
}
