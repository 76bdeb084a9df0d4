// The evaluator's memory as a function of what it serves and who is connected: resident memory
// of `vexil serve` with N flags, then with idle connections, event streams and snapshot downloads
// that are never read added. The slopes give the ceiling docs/limits.md states.
//   node bench/memory.ts [--quick] [--flags 1000,10000,50000] [--connections 2000] [--output json]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { idleConnections, stalledSnapshotDownloads, streamClients, type HeldClients } from "./memory/clients.ts";
import { heapLimitMiB, memoryCeilingMiB } from "../evaluator/limits.ts";
import { rssBytes } from "./http/proc.ts";
import { startVexil } from "./http/servers.ts";
import { writeManyFlags } from "./http/flags.ts";
import { describeMachine, machineInfo } from "./machine.ts";
import { runMain, wantsJson } from "./options.ts";
import { writeResults } from "./report.ts";

const MiB = 2 ** 20;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  flags: number;
  heapLimitMiB: number;
  /** docs/limits.md's ceiling for these flags and clients */
  ceilingMiB: number;
  /** the highest resident memory sampled (every 100 ms) from start to end */
  peakMiB: number;
  /** after a bulk evaluation of every flag and one snapshot download per coding */
  servingMiB: number;
  idleConnectionsMiB: number;
  streamsMiB: number;
  stalledDownloadsMiB: number;
  afterClientsLeftMiB: number;
}

async function download(base: string, coding: string): Promise<void> {
  const response = await fetch(`${base}/v1/snapshot`, { headers: { "accept-encoding": coding } });
  await response.arrayBuffer();
}

async function measure(flags: number, connections: number, root: string, log: (line: string) => void): Promise<Row> {
  const { vexilDir } = writeManyFlags(root, flags);
  const heap = heapLimitMiB(flags);
  const ceiling = memoryCeilingMiB({ flags, connections: connections + 32, streams: 1000 });
  const server = await startVexil(vexilDir, heap);
  const port = Number(new URL(server.ofrepUrl).port);
  const rss = () => rssBytes(server.pid) / MiB;
  let peakMiB = rss();
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, rss())), 100);
  let clients: HeldClients[] = [];
  try {
    const bulk = await fetch(`${server.ofrepUrl}/ofrep/v1/evaluate/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ context: { targetingKey: "user-1", plan: "premium" } }),
    });
    await bulk.arrayBuffer();
    for (const coding of ["identity", "gzip", "br"]) await download(server.ofrepUrl, coding);
    await settle(1000);
    const servingMiB = rss();
    log(
      `  ${flags} flags (heap limit ${heap} MiB, ceiling ${ceiling.toFixed(0)} MiB): serving ${servingMiB.toFixed(0)} MiB`,
    );
    clients.push(await idleConnections(port, connections));
    await settle(500);
    const idleConnectionsMiB = rss();
    log(`  + ${connections} idle connections: ${idleConnectionsMiB.toFixed(0)} MiB`);
    clients.push(await streamClients(port, 1000));
    await settle(500);
    const streamsMiB = rss();
    log(`  + 1000 event streams: ${streamsMiB.toFixed(0)} MiB`);
    clients.push(await stalledSnapshotDownloads(port, 32));
    await settle(1000);
    const stalledDownloadsMiB = rss();
    log(`  + 32 snapshot downloads never read: ${stalledDownloadsMiB.toFixed(0)} MiB`);
    for (const held of clients) held.close();
    clients = [];
    await settle(2000);
    const afterClientsLeftMiB = rss();
    return {
      flags,
      heapLimitMiB: heap,
      ceilingMiB: ceiling,
      peakMiB,
      servingMiB,
      idleConnectionsMiB,
      streamsMiB,
      stalledDownloadsMiB,
      afterClientsLeftMiB,
    };
  } finally {
    clearInterval(sampler);
    for (const held of clients) held.close();
    await server.stop();
  }
}

/** Least-squares slope and intercept of serving memory against the flag count. */
function fit(rows: readonly Row[]): { baseMiB: number; perFlagKiB: number } {
  const n = rows.length;
  const mx = rows.reduce((s, r) => s + r.flags, 0) / n;
  const my = rows.reduce((s, r) => s + r.servingMiB, 0) / n;
  const sxx = rows.reduce((s, r) => s + (r.flags - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : rows.reduce((s, r) => s + (r.flags - mx) * (r.servingMiB - my), 0) / sxx;
  return { baseMiB: my - slope * mx, perFlagKiB: slope * 1024 };
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: "boolean", default: false },
      flags: { type: "string", default: "1000,10000,50000" },
      connections: { type: "string", default: "2000" },
      output: { type: "string" },
    },
  });
  const json = wantsJson(values);
  const flagCounts = (values.quick ? "100,2000" : values.flags).split(",").map(Number);
  const connections = values.quick ? 200 : Number(values.connections);
  if (flagCounts.some((n) => !Number.isInteger(n) || n <= 0) || !Number.isInteger(connections) || connections <= 0)
    throw new Error("--flags takes a comma-separated list of positive integers, --connections a positive integer");
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  log(`memory of vexil serve on ${describeMachine(machineInfo())}`);
  const root = mkdtempSync(join(tmpdir(), "vexil-bench-memory-"));
  const rows: Row[] = [];
  try {
    for (const flags of flagCounts) rows.push(await measure(flags, connections, root, log));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const { baseMiB, perFlagKiB } = fit(rows);
  const perConnectionKiB = average(rows.map((r) => ((r.idleConnectionsMiB - r.servingMiB) * 1024) / connections));
  const perStreamKiB = average(rows.map((r) => ((r.streamsMiB - r.idleConnectionsMiB) * 1024) / 1000));
  const summary = { baseMiB, perFlagKiB, perConnectionKiB, perStreamKiB };
  const file = writeResults("memory", { machine: machineInfo(), connections, rows, summary });
  if (json) process.stdout.write(`${JSON.stringify({ rows, summary, results: file })}\n`);
  else {
    log("\nflags   heap limit  serving  +idle conns  +1000 streams  +32 stalled  after  peak  ceiling   (RSS, MiB)");
    for (const r of rows)
      log(
        [
          String(r.flags).padEnd(7),
          r.heapLimitMiB.toFixed(0).padStart(10),
          r.servingMiB.toFixed(0).padStart(8),
          r.idleConnectionsMiB.toFixed(0).padStart(12),
          r.streamsMiB.toFixed(0).padStart(14),
          r.stalledDownloadsMiB.toFixed(0).padStart(12),
          r.afterClientsLeftMiB.toFixed(0).padStart(6),
          r.peakMiB.toFixed(0).padStart(5),
          `${r.ceilingMiB.toFixed(0).padStart(8)} ${r.peakMiB < r.ceilingMiB ? "within" : "OVER"}`,
        ].join(" "),
      );
    log(
      `\nfit: ${baseMiB.toFixed(0)} MiB + ${perFlagKiB.toFixed(2)} KiB per flag; ${perConnectionKiB.toFixed(1)} KiB per idle connection; ${perStreamKiB.toFixed(1)} KiB per stream`,
    );
    log(`results: ${file}`);
  }
  return rows.every((r) => r.peakMiB < r.ceilingMiB);
}

function average(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

await runMain(main);
