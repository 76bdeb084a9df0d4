// The soak's hostile traffic, each kind in a counted amount: distinct users sending events
// with 1 KB keys, OFREP evaluations for ever-new users, bodies that are too big, too deep or
// not JSON, and bodies trickled a byte at a time. Every answer's status is tallied.
import { connect } from "node:net";

export type Tally = Record<string, number>;

function count(tally: Tally, kind: string, status: number | string): void {
  const key = `${kind} ${status}`;
  tally[key] = (tally[key] ?? 0) + 1;
}

/** Runs `total` calls of `task`, `parallel` at a time. */
async function pool(total: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function post(base: string, path: string, body: string | Buffer, tally: Tally, kind: string): Promise<void> {
  try {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    count(tally, kind, response.status);
  } catch (error) {
    count(tally, kind, (error as Error).name);
  }
}

const longKey = (i: number) => `user-${i}-${"x".repeat(1000)}`;

/** `batches` × 100 exposures and conversions, each from a distinct user with a 1 KB key. */
export function eventsFromDistinctUsers(base: string, batches: number, tally: Tally): Promise<void> {
  return pool(batches, 4, async (b) => {
    const events = Array.from({ length: 100 }, (_, j) => {
      const user = longKey(b * 100 + j);
      return j % 2 === 0
        ? { type: "exposure", experiment: "button-color-test", variant: "green", targetingKey: user }
        : { type: "conversion", event: "checkout.completed", targetingKey: user };
    });
    await post(base, "/v1/events", JSON.stringify(events), tally, "events");
  });
}

/** Single-flag OFREP evaluations, each for a user never seen before. */
export function evaluationsForNewUsers(base: string, total: number, flags: string[], tally: Tally): Promise<void> {
  return pool(total, 8, async (i) => {
    const key = flags[i % flags.length]!;
    const context = { targetingKey: `visitor-${i}`, plan: i % 3 === 0 ? "premium" : "free", country: "US" };
    await post(base, `/ofrep/v1/evaluate/flags/${key}`, JSON.stringify({ context }), tally, "evaluate");
  });
}

/** Bodies the evaluator must refuse: 2 MiB, nested 5 000 deep, and not JSON at all. */
export function refusedBodies(base: string, total: number, tally: Tally): Promise<void> {
  const big = Buffer.alloc(2 * 2 ** 20, "a");
  const deep = `{"context":{"targetingKey":"u","d":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
  return pool(total, 4, async (i) => {
    if (i % 3 === 0) return post(base, "/ofrep/v1/evaluate/flags", big, tally, "oversized");
    if (i % 3 === 1) return post(base, "/ofrep/v1/evaluate/flags", deep, tally, "deep");
    return post(base, "/v1/events", "{not json", tally, "malformed");
  });
}

/**
 * Bodies sent a byte every 200 ms: the evaluator must cut them after its request timeout —
 * with a 408 when it can still answer, else by closing the connection — not wait for them.
 */
export function trickledBodies(port: number, total: number, tally: Tally): Promise<void> {
  return pool(total, total, async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let answer = "";
      let gaveUp = false;
      socket.on("data", (chunk) => (answer += chunk.toString()));
      socket.on("error", () => undefined);
      const trickle = setInterval(() => socket.writable && socket.write("1\r\n \r\n"), 200);
      const giveUp = setTimeout(() => ((gaveUp = true), socket.destroy()), 30_000);
      socket.once("close", () => {
        clearInterval(trickle);
        clearTimeout(giveUp);
        const status = /^HTTP\/1\.1 (\d+)/.exec(answer)?.[1];
        count(tally, "trickled", gaveUp ? "never cut" : status === undefined || status === "408" ? "cut" : status);
        resolve();
      });
      socket.write(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
    });
  });
}
