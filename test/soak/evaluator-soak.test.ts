// The soak: `vexil serve` (as users run it: a folder, SQLite events on, the heap limit the chart
// would give it) under a bounded mix of
// hostile traffic for about a minute — events from tens of thousands of distinct users with
// 1 KB keys, evaluations for ever-new users, idle connections, event streams, snapshot downloads
// never read (and more than the cap), bodies too big, too deep, malformed or trickled. Resident
// memory stays under the documented ceiling for what is served and who is connected, and
// /healthz, asked from another process every 100 ms, always answers: the 99th percentile within
// a second. (The goal is 50 ms; on the shared 2-core machines measured so far, with the load
// generator on the same cores, p99 was 0.3-0.8 s: docs/limits.md says so. This bound catches
// the multi-second freezes the soak was written against.)
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { idleConnections, stalledSnapshotDownloads, streamClients } from "../../bench/memory/clients.ts";
import { writeManyFlags } from "../../bench/http/flags.ts";
import { rssBytes } from "../../bench/http/proc.ts";
import { startVexil, type RunningServer } from "../../bench/http/servers.ts";
import { heapLimitMiB, memoryCeilingMiB } from "../../evaluator/limits.ts";
import {
  evaluationsForNewUsers,
  eventsFromDistinctUsers,
  refusedBodies,
  trickledBodies,
  type Tally,
} from "./traffic.ts";

const FLAGS = 5000;
const IDLE_CONNECTIONS = 1000;
const STREAMS = 300;
const STALLED_DOWNLOADS = 40; // 8 past the cap of 32: those get 429

const root = mkdtempSync(join(tmpdir(), "vexil-soak-"));
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

function startProbe(url: string) {
  const child = spawn(process.execPath, [new URL("./healthz-probe.ts", import.meta.url).pathname, url], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  const finished = new Promise<{ latencies: number[]; failures: string[] }>((resolve) =>
    child.on("close", () => resolve(JSON.parse(output || '{"latencies":[],"failures":["no output"]}'))),
  );
  return { stop: () => (child.stdin.end(), finished) };
}

/** Five seconds in, one flag's file changes: the folder reloads under load. */
async function editMidway(dir: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const file = join(dir, "flag-00001.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("Generated flag 1 for", "Edited flag 1 for"));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe("soak: mixed hostile traffic", () => {
  it("keeps memory under the ceiling and /healthz answering", { timeout: 240_000 }, async () => {
    const { vexilDir } = writeManyFlags(root, FLAGS);
    const examples = new URL("../../examples/", import.meta.url).pathname;
    for (const file of readdirSync(examples).filter((f) => f.endsWith(".yaml")))
      cpSync(join(examples, file), join(vexilDir, file));
    server = await startVexil(vexilDir, heapLimitMiB(FLAGS));
    const base = server.ofrepUrl;
    const port = Number(new URL(base).port);
    const pid = server.pid;
    let peak = 0;
    const startedAt = Date.now();
    const timeline: string[] = [];
    const sampler = setInterval(() => {
      const rss = rssBytes(pid);
      if (rss > peak) timeline.push(`${((Date.now() - startedAt) / 1000).toFixed(1)}s:${(rss / 2 ** 20).toFixed(0)}`);
      peak = Math.max(peak, rss);
    }, 200);
    const probe = startProbe(`${base}/healthz`);
    const tally: Tally = {};
    const held = [
      await idleConnections(port, IDLE_CONNECTIONS),
      await streamClients(port, STREAMS),
      await stalledSnapshotDownloads(port, STALLED_DOWNLOADS),
    ];
    const flags = Array.from({ length: 200 }, (_, i) => `generated-flag-${String(i * 25).padStart(5, "0")}`);
    await Promise.all([
      eventsFromDistinctUsers(base, 400, tally), // 40 000 distinct users, 1 KB keys
      evaluationsForNewUsers(base, 20_000, flags, tally),
      refusedBodies(base, 300, tally),
      trickledBodies(port, 20, tally),
      editMidway(vexilDir), // a reload of the whole folder while all of the above goes on
    ]);
    const { latencies, failures } = await probe.stop();
    clearInterval(sampler);
    for (const clients of held) clients.close();

    const peakMiB = peak / 2 ** 20;
    const ceiling = memoryCeilingMiB({
      flags: FLAGS,
      connections: IDLE_CONNECTIONS + STALLED_DOWNLOADS + 50,
      streams: STREAMS,
    });
    const sorted = [...latencies].sort((a, b) => a - b);
    const seen = `peak RSS ${peakMiB.toFixed(0)} MiB (ceiling ${ceiling.toFixed(0)}); /healthz p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms over ${sorted.length}; ${JSON.stringify(tally)}`;
    console.log(`soak: ${seen}\nnew RSS peaks (seconds: MiB): ${timeline.join(" ")}`);

    expect(tally["events 202"], seen).toBe(400);
    expect(tally["evaluate 200"], seen).toBe(20_000);
    expect(tally["oversized 413"], seen).toBe(100);
    expect(tally["deep 400"], seen).toBe(100);
    expect(tally["malformed 400"], seen).toBe(100);
    expect(tally["trickled cut"], seen).toBe(20);
    expect(failures, seen).toEqual([]);
    expect(sorted.length, seen).toBeGreaterThan(100);
    expect(peakMiB, seen).toBeLessThan(ceiling);
    expect(percentile(sorted, 0.99), seen).toBeLessThan(1000);
  });
});
