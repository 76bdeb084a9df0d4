// HTTP benchmark: `vexil serve` against flagd's OFREP endpoint, same flags, same machine, same
// load generator and concurrency, 127.0.0.1 only.
//   FLAGD_BIN=/path/to/flagd node bench/http.ts [--duration 10] [--connections 50] [--flags 10000] [--output json]
// Without FLAGD_BIN (or --flagd PATH) only Vexil is measured; docs/benchmarks.md says how to get flagd.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeMachine, machineInfo } from "./machine.ts";
import { parseBenchArgs, runMain, wantsJson } from "./options.ts";
import { formatRate, writeResults } from "./report.ts";
import { writeCaseFlags, writeManyFlags } from "./http/flags.ts";
import { runFixedRate } from "./http/fixed-rate.ts";
import { checkAnswers, ofrepRequests, runLoad, type LoadOptions, type OfrepRequest } from "./http/load.ts";
import { measureMemory, type MemoryResult } from "./http/memory.ts";
import { startFlagd, startNullServer, startVexil, type RunningServer } from "./http/servers.ts";
import { goalLines, halfLoadTable, memoryTable, throughputTable, type ServerLoad } from "./http/summary.ts";

export const FLAGD_HINT =
  'flagd not measured: set FLAGD_BIN to a flagd binary (see docs/benchmarks.md, "Getting flagd").';

interface HttpOptions {
  durationS: number;
  connections: number;
  flagCount: number;
  flagdBin: string | undefined;
  json: boolean;
}

function readOptions(argv: string[]): HttpOptions {
  const values = parseBenchArgs(argv);
  const durationS = values.quick ? 3 : Number(values.duration);
  const connections = Number(values.connections);
  const flagCount = values.quick ? 1000 : Number(values.flags);
  for (const [name, value] of [
    ["--duration", durationS],
    ["--connections", connections],
    ["--flags", flagCount],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0 || value > 100_000)
      throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  return {
    durationS,
    connections,
    flagCount,
    flagdBin: values.flagd ?? process.env.FLAGD_BIN ?? undefined,
    json: wantsJson(values),
  };
}

/** A short warm-up at the rate (discarded), then the measured run. */
async function halfLoad(server: RunningServer, requests: readonly OfrepRequest[], rate: number, options: HttpOptions) {
  const settings = { rate, durationS: options.durationS, connections: options.connections };
  await runFixedRate(server, requests, { ...settings, durationS: Math.min(2, options.durationS) });
  return runFixedRate(server, requests, settings);
}

/** The same fixed-rate run against a server that only answers constant JSON. */
async function latencyFloor(rate: number, options: HttpOptions): Promise<ServerLoad["half"]> {
  const server = await startNullServer();
  try {
    return await halfLoad(server, ofrepRequests(), rate, options);
  } finally {
    await server.stop();
  }
}

async function loadServer(server: RunningServer, options: HttpOptions): Promise<ServerLoad> {
  const requests = ofrepRequests();
  try {
    const answers = await checkAnswers(server, requests);
    console.log(`  ${server.name} (pid ${server.pid}, ready in ${(server.startupMs / 1000).toFixed(1)} s): ${answers}`);
    const load: LoadOptions = { connections: options.connections, durationS: options.durationS };
    await runLoad(server, requests, { ...load, durationS: Math.min(3, options.durationS) }); // warm-up, discarded
    const peak = await runLoad(server, requests, load);
    console.log(`  ${server.name} peak: ${formatRate(peak.requestsPerSecond)} req/s, p99 ${peak.latencyP99Ms} ms`);
    const rate = Math.max(1, Math.round(peak.requestsPerSecond / 2));
    const half = await halfLoad(server, requests, rate, options);
    console.log(`  ${server.name} at ${formatRate(rate)} req/s (half of peak): p99 ${half.latencyP99Ms.toFixed(2)} ms`);
    return { server: server.name, answers, peak, half };
  } finally {
    await server.stop();
  }
}

export async function runHttpBenchmark(argv: string[]): Promise<void> {
  const options = readOptions(argv);
  const machine = machineInfo();
  console.log(`# HTTP benchmark (OFREP single-flag evaluation)\n${describeMachine(machine)}`);
  console.log(
    `${options.connections} connections, ${options.durationS} s per run, autocannon in this process on the same machine\n`,
  );
  const root = mkdtempSync(join(tmpdir(), "vexil-bench-"));
  try {
    const cases = writeCaseFlags(root);
    const loads: ServerLoad[] = [await loadServer(await startVexil(cases.vexilDir), options)];
    const flagdBin = options.flagdBin;
    if (flagdBin) loads.push(await loadServer(await startFlagd(flagdBin, cases.flagdFile), options));
    else console.log(`  ${FLAGD_HINT}`);
    const floor = await latencyFloor(loads[0]!.half.targetRate, options);
    const many = writeManyFlags(root, options.flagCount);
    // the 4 benchmark flags first: the fixed cost of each server, then the cost of many flags
    const memory: MemoryResult[] = [
      await measureMemory(() => startVexil(cases.vexilDir), 4),
      await measureMemory(() => startVexil(many.vexilDir), options.flagCount),
    ];
    if (flagdBin) {
      memory.push(await measureMemory(() => startFlagd(flagdBin, cases.flagdFile), 4));
      memory.push(await measureMemory(() => startFlagd(flagdBin, many.flagdFile), options.flagCount));
    }
    console.log(
      `\nPeak throughput (requests rotate over the 4 benchmark flags and 1000 users):\n${throughputTable(loads)}`,
    );
    console.log(`\nLatency at half of peak load (fixed rate):\n${halfLoadTable(loads, floor)}`);
    console.log(`\nResident memory (VmRSS):\n${memoryTable(memory)}`);
    console.log(
      `\nGoals:\n${goalLines(loads, memory, options.flagCount)
        .map((l) => `- ${l}`)
        .join("\n")}`,
    );
    if (options.json) {
      const file = writeResults("http", {
        machine,
        options: { ...options, json: undefined },
        loads,
        floor,
        memory,
        flagd: Boolean(flagdBin),
      });
      console.log(`\nwrote ${file}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await runMain(() => runHttpBenchmark(process.argv.slice(2)));
