// Clients that try to make the evaluator hold memory or wait: short and trickled bodies, deep
// defaultValues, snapshot downloads that are never read, too many streams.
import { connect, type Socket } from "node:net";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { chooseCoding } from "../../../evaluator/http/snapshot-download.ts";
import { CATALOGUE, flagYaml, startEvaluator, type Harness } from "./harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Writes raw bytes and resolves with everything the server sent once it closes (or after `ms`). */
function rawExchange(port: number, text: string, ms: number): Promise<{ answer: string; elapsed: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", () => undefined);
    const done = () => resolve({ answer, elapsed: Date.now() - started });
    socket.on("close", done);
    setTimeout(() => socket.destroy(), ms).unref();
    socket.write(text);
  });
}

const portOf = (h: Harness) => Number(new URL(h.baseUrl).port);

describe("request bodies that never finish", () => {
  it("answers 408 when the body is shorter than its Content-Length, after the request timeout", async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE }, { requestTimeoutMs: 600 });
    const request =
      "POST /ofrep/v1/evaluate/flags/static-bool HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      'Content-Length: 100\r\n\r\n{"context":';
    const { answer, elapsed } = await rawExchange(portOf(harness), request, 5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(3000);
  });

  it("cuts a slowloris body trickled a byte at a time once the request timeout passes", async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE }, { requestTimeoutMs: 600 });
    const socket = connect(portOf(harness), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", () => undefined);
    socket.write(
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const started = Date.now();
    const trickle = setInterval(() => socket.writable && socket.write("1\r\n \r\n"), 100);
    await new Promise<void>((resolve) => socket.on("close", () => resolve()));
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("POST /v1/evaluate", () => {
  it("answers a defaultValue nested 5 000 deep with 400, not a stack overflow", async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE });
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const response = await fetch(`${harness.baseUrl}/v1/evaluate/static-bool`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"defaultValue": ${deep}}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errorCode: "INVALID_REQUEST",
      errorDetails: "defaultValue is nested deeper than 32 levels",
    });
  });
});

/** `n` json flags whose values hold `size` characters each: a snapshot of about n × size bytes. */
const manyFlags = (n: number, size = 40) =>
  Array.from({ length: n }, (_, i) =>
    flagYaml(`flag-${i}`, `type: json\ndefaultVariant: v\nvariants: [{name: v, value: {blob: "${"x".repeat(size)}"}}]`),
  ).join("");

describe("GET /v1/snapshot", () => {
  it("serves one shared body, gzip or brotli as the client accepts, with the same ETag", async () => {
    harness = await startEvaluator({ "flags.yaml": manyFlags(200) });
    const plain = await fetch(`${harness.baseUrl}/v1/snapshot`, { headers: { "accept-encoding": "identity" } });
    const text = await plain.text();
    expect(JSON.parse(text)).toMatchObject({ hash: harness.source.current()?.hash });
    for (const coding of ["gzip", "br"] as const) {
      const response = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const socket = connect(portOf(harness!), "127.0.0.1");
        const chunks: Buffer[] = [];
        socket.on("data", (c: Buffer) => chunks.push(c));
        socket.on("error", reject);
        socket.on("end", () => {
          const all = Buffer.concat(chunks);
          const split = all.indexOf("\r\n\r\n");
          const head = all.subarray(0, split).toString().toLowerCase();
          resolve({ headers: { head }, body: all.subarray(split + 4) });
        });
        socket.write(`GET /v1/snapshot HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ${coding}\r\nConnection: close\r\n\r\n`);
      });
      const head = response.headers.head as string;
      expect(head).toContain(`content-encoding: ${coding}`);
      expect(head).toContain(`etag: ${plain.headers.get("etag")}`);
      const decoded = coding === "gzip" ? gunzipSync(response.body) : brotliDecompressSync(response.body);
      expect(decoded.toString()).toBe(text);
      expect(response.body.length).toBeLessThan(text.length / 3);
    }
  });

  it("caps downloads in flight: past the cap, 429 with Retry-After, and a slot frees when a reader leaves", async () => {
    // 24 MB: more than loopback socket buffers hold, so an unread download stays in flight
    const half = manyFlags(3000, 4000); // two files: one manifest file may hold 16 MiB
    harness = await startEvaluator(
      { "a.yaml": half, "b.yaml": half.replaceAll("flag-", "other-") },
      { maxSnapshotDownloads: 2 },
    );
    const stalled = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(portOf(harness!), "127.0.0.1");
            socket.on("error", () => undefined);
            // the first bytes prove the download started; then the client stops reading for good
            socket.once("data", () => {
              socket.pause();
              resolve(socket);
            });
            socket.write("GET /v1/snapshot HTTP/1.1\r\nHost: x\r\n\r\n");
          }),
      ),
    );
    const refused = await fetch(`${harness.baseUrl}/v1/snapshot`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(await refused.json()).toEqual({
      errorCode: "TOO_MANY_REQUESTS",
      errorDetails: "2 snapshot downloads are in progress; retry shortly",
    });
    const health = Date.now();
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
    expect(Date.now() - health).toBeLessThan(1000); // not held up by the stalled downloads
    stalled[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${harness.baseUrl}/v1/snapshot`)).status).toBe(200);
    stalled[1]!.destroy();
  });

  it("chooses br, then gzip, then identity, honouring q=0", () => {
    expect(chooseCoding("gzip, deflate, br")).toBe("br");
    expect(chooseCoding("gzip, br;q=0")).toBe("gzip");
    expect(chooseCoding("*;q=0")).toBe("identity");
    expect(chooseCoding("*")).toBe("br");
    expect(chooseCoding(undefined)).toBe("identity");
  });
});

describe("GET /v1/stream", () => {
  it("refuses streams past the cap with 429 and Retry-After", async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE }, { maxStreamClients: 1 });
    const controller = new AbortController();
    const first = await fetch(`${harness.baseUrl}/v1/stream`, { signal: controller.signal });
    expect(first.status).toBe(200);
    const second = await fetch(`${harness.baseUrl}/v1/stream`);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(5);
    controller.abort();
  });
});
