// Resident memory with many flags: once the server reports ready, and again after bulk OFREP
// evaluation has returned every flag (Vexil prepares flags lazily, on first evaluation; flagd
// may report ready before a large file is loaded, so "all flags served" is the real readiness).
import { rssBytes } from "./proc.ts";
import type { RunningServer } from "./servers.ts";

export interface MemoryResult {
  server: string;
  flags: number;
  /** milliseconds from spawn until a bulk evaluation returned every flag */
  allServedMs: number;
  rssAfterReadyMiB: number;
  rssAfterEvaluatingAllMiB: number;
}

const MiB = 2 ** 20;
const CONTEXT = JSON.stringify({ context: { targetingKey: "user-1", country: "US", plan: "premium" } });

async function bulkCount(server: RunningServer): Promise<number> {
  const response = await fetch(`${server.ofrepUrl}/ofrep/v1/evaluate/flags`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: CONTEXT,
  });
  const body = (await response.json()) as { flags?: unknown[] };
  return response.ok && Array.isArray(body.flags) ? body.flags.length : -response.status;
}

/** Bulk-evaluates until every flag comes back; returns the wait in ms. */
async function waitForAllFlags(server: RunningServer, flags: number, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  let seen = 0;
  while (performance.now() - started < timeoutMs) {
    seen = await bulkCount(server);
    if (seen === flags) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${server.name} served ${seen} of ${flags} flags after ${timeoutMs} ms`);
}

export async function measureMemory(start: () => Promise<RunningServer>, flags: number): Promise<MemoryResult> {
  const server = await start();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const afterReady = rssBytes(server.pid);
    const waited = await waitForAllFlags(server, flags);
    await new Promise((r) => setTimeout(r, 500));
    return {
      server: server.name,
      flags,
      allServedMs: server.startupMs + 1000 + waited,
      rssAfterReadyMiB: afterReady / MiB,
      rssAfterEvaluatingAllMiB: rssBytes(server.pid) / MiB,
    };
  } finally {
    await server.stop();
  }
}
