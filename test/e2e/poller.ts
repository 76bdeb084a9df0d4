// A client polling the evaluators while something disruptive happens: it sends an OFREP request
// every 50 ms to the next of the addresses `targets` returns (refreshed every 250 ms, as kube-proxy
// follows a Service's ready endpoints; there is no kube-proxy on the test node) and counts answers.
import { evaluate } from "./checks.ts";
import { sleep } from "./process.ts";

export interface PollResult {
  ok: number;
  failed: number;
  errors: string[];
  servers: Set<string>;
}

export async function pollDuring<T>(targets: () => Promise<string[]>, action: () => Promise<T>): Promise<PollResult> {
  const result: PollResult = { ok: 0, failed: 0, errors: [], servers: new Set() };
  let addresses = await targets();
  let done = false;
  const refresher = (async (): Promise<void> => {
    while (!done) {
      await sleep(250);
      try {
        const next = await targets();
        if (next.length > 0) addresses = next;
      } catch {
        // keep the last known endpoints, as a proxy would
      }
    }
  })();
  const client = (async (): Promise<void> => {
    for (let i = 0; !done; i++) {
      const ip = addresses[i % addresses.length];
      if (ip) {
        try {
          await evaluate(ip);
          result.ok++;
          result.servers.add(ip);
        } catch (error) {
          result.failed++;
          if (result.errors.length < 5) result.errors.push(`${ip}: ${(error as Error).message}`);
        }
      }
      await sleep(50);
    }
  })();
  try {
    await action();
  } finally {
    done = true;
    await Promise.all([refresher, client]);
  }
  return result;
}
