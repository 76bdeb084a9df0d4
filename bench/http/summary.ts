// Tables and goal verdicts of the HTTP benchmark: throughput ≥ flagd, p99 < 2 ms at half of
// peak load, < 300 MB resident with 10 000 flags.
import { formatRate, markdownTable } from "../report.ts";
import type { FixedRateResult } from "./fixed-rate.ts";
import type { LoadResult } from "./load.ts";
import type { MemoryResult } from "./memory.ts";

export interface ServerLoad {
  server: string;
  answers: string;
  peak: LoadResult;
  half: FixedRateResult;
}

export const P99_GOAL_MS = 2;
export const RSS_GOAL_MB = 300;

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function throughputTable(loads: readonly ServerLoad[]): string {
  const header = [
    "server",
    "req/s",
    "server CPU (cores)",
    "req/s per core",
    "p50 (1 ms steps)",
    "p99 (1 ms steps)",
    "failures",
    "load generator CPU",
  ];
  const rows = loads.map(({ server, peak }) => [
    server,
    formatRate(peak.requestsPerSecond),
    peak.serverCores.toFixed(2),
    formatRate(peak.requestsPerCpuSecond),
    ms(peak.latencyP50Ms),
    ms(peak.latencyP99Ms),
    String(peak.failures),
    peak.clientCores.toFixed(2),
  ]);
  return markdownTable(header, rows);
}

function halfRow(server: string, half: FixedRateResult): string[] {
  return [
    server,
    formatRate(half.targetRate),
    formatRate(half.achievedRate),
    half.serverCores.toFixed(2),
    ms(half.latencyP50Ms),
    ms(half.latencyP99Ms),
    ms(half.latencyP999Ms),
    ms(half.latencyMaxMs),
    ms(half.dispatchLagP99Ms),
    String(half.failures),
  ];
}

export function halfLoadTable(loads: readonly ServerLoad[], floor: FixedRateResult): string {
  const header = [
    "server",
    "target req/s",
    "achieved req/s",
    "server CPU (cores)",
    "p50",
    "p99",
    "p99.9",
    "max",
    "client lag p99",
    "failures",
  ];
  const rows = [
    ...loads.map(({ server, half }) => halfRow(server, half)),
    halfRow("floor: constant-JSON node:http server", floor),
  ];
  return markdownTable(header, rows);
}

export function memoryTable(results: readonly MemoryResult[]): string {
  const header = ["server", "flags", "all flags served after", "RSS once ready", "RSS after evaluating all"];
  const rows = results.map((m) => [
    m.server,
    String(m.flags),
    `${(m.allServedMs / 1000).toFixed(1)} s`,
    `${m.rssAfterReadyMiB.toFixed(0)} MiB`,
    `${m.rssAfterEvaluatingAllMiB.toFixed(0)} MiB`,
  ]);
  return markdownTable(header, rows);
}

export function goalLines(loads: readonly ServerLoad[], memory: readonly MemoryResult[], flagCount: number): string[] {
  const vexil = loads.find((l) => l.server === "vexil");
  const flagd = loads.find((l) => l.server === "flagd");
  const lines: string[] = [];
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  if (vexil && flagd) {
    const raw = vexil.peak.requestsPerSecond / flagd.peak.requestsPerSecond;
    const perCore = vexil.peak.requestsPerCpuSecond / flagd.peak.requestsPerCpuSecond;
    lines.push(`throughput ≥ flagd: ${verdict(raw >= 1)} (raw ${raw.toFixed(2)}×, per core ${perCore.toFixed(2)}×)`);
  } else if (vexil) {
    lines.push("throughput ≥ flagd: not measured (no flagd binary)");
  }
  if (vexil)
    lines.push(
      `p99 < ${P99_GOAL_MS} ms at half of peak: ${verdict(vexil.half.latencyP99Ms < P99_GOAL_MS)} (${ms(vexil.half.latencyP99Ms)})`,
    );
  const rss = memory.find((m) => m.server === "vexil" && m.flags === flagCount);
  if (rss) {
    const mb = (Math.max(rss.rssAfterReadyMiB, rss.rssAfterEvaluatingAllMiB) * 2 ** 20) / 1e6;
    lines.push(
      `< ${RSS_GOAL_MB} MB RSS with ${rss.flags} flags: ${verdict(mb < RSS_GOAL_MB)} (${mb.toFixed(0)} MB at most)`,
    );
  }
  return lines;
}
