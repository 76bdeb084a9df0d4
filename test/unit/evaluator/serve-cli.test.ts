// The real `vexil serve` process: it prints where it listens, and on SIGTERM it finishes the
// request in flight, then exits 0.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../../../event-store/sqlite.ts";
import { flagYaml } from "./harness.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const node = path.join(root, "node_modules/.bin/node");
const entry = path.join(root, "cli/main.ts");

interface Served {
  child: ChildProcess;
  port: number;
  logs: Record<string, unknown>[];
  exit: Promise<number | null>;
}

async function serve(dir: string, extra: string[] = []): Promise<Served> {
  const child = spawn(node, [entry, "serve", "--flags", dir, "--port", "0", "--host", "127.0.0.1", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const logs: Record<string, unknown>[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === "listening") resolve(entry.port as number);
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    void exit.then((code) => reject(new Error(`vexil serve exited with ${code}: ${stderr}`)));
  });
  return { child, port, logs, exit };
}

describe("vexil serve (process)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vexil-cli-"));
    await writeFile(path.join(dir, "flags.yaml"), flagYaml("checkout", "type: boolean"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("logs its bound address as structured JSON and serves OFREP", async () => {
    const served = await serve(dir);
    try {
      const listening = served.logs.find((l) => l.msg === "listening");
      expect(listening).toMatchObject({ level: 30, address: `http://127.0.0.1:${served.port}`, auth: false });
      const response = await fetch(`http://127.0.0.1:${served.port}/ofrep/v1/evaluate/flags/checkout`, {
        method: "POST",
      });
      expect(await response.json()).toMatchObject({ key: "checkout", value: true, reason: "STATIC" });
    } finally {
      served.child.kill("SIGTERM");
      await served.exit;
    }
  });

  it("drains an in-flight request on SIGTERM, ends event streams, then exits 0", async () => {
    const served = await serve(dir);
    const stream = await fetch(`http://127.0.0.1:${served.port}/v1/stream`);
    const streamEnded = stream.text();
    const body = JSON.stringify({ context: { targetingKey: "user-1" } });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: served.port,
          method: "POST",
          path: "/ofrep/v1/evaluate/flags/checkout",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      // half the body now: the request is in flight when SIGTERM arrives
      req.write(body.slice(0, 10));
      setTimeout(() => {
        served.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 100);
    });
    const result = await answer;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ key: "checkout", value: true });
    expect(await served.exit).toBe(0);
    expect(await streamEnded).toMatch(/event: snapshot\n/);
    expect(served.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["draining: finishing in-flight requests", "stopped"]),
    );
    // no new connections once draining
    await expect(fetch(`http://127.0.0.1:${served.port}/healthz`)).rejects.toThrow();
  });

  it("keeps experiment events in <flags>/.vexil/events.db by default and flushes them on SIGTERM", async () => {
    const expDir = await mkdtemp(path.join(tmpdir(), "vexil-cli-exp-"));
    const experiment = `---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: checkout-test}
spec:
  flag: checkout
  variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
  control: "off"
  metrics: [{name: purchase, event: purchase}]
`;
    await writeFile(path.join(expDir, "flags.yaml"), flagYaml("checkout", "type: boolean") + experiment);
    const served = await serve(expDir);
    const base = `http://127.0.0.1:${served.port}`;
    const post = (url: string, body: unknown) =>
      fetch(`${base}${url}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    for (let i = 0; i < 20; i++)
      await post("/ofrep/v1/evaluate/flags/checkout", { context: { targetingKey: `u${i}` } });
    expect((await post("/v1/events", [{ type: "conversion", event: "purchase", targetingKey: "u1" }])).status).toBe(
      202,
    );
    served.child.kill("SIGTERM"); // before the writer's next batch: the flush on exit writes them
    expect(await served.exit).toBe(0);
    const store = new SqliteEventStore(path.join(expDir, ".vexil", "events.db"));
    const result = await store.aggregate({
      namespace: "default",
      experiment: "checkout-test",
      variants: ["on", "off"],
      metrics: [{ name: "purchase", event: "purchase", type: "conversion" }],
    });
    await store.close();
    expect(result.exposuresByVariant.on! + result.exposuresByVariant.off!).toBe(20);
    expect(result.metrics.purchase!.reduce((n, v) => n + v.conversions, 0)).toBe(1);
    expect(served.logs.find((l) => l.msg === "listening")).toMatchObject({
      events: `sqlite ${path.join(expDir, ".vexil", "events.db")}`,
    });
    await rm(expDir, { recursive: true, force: true });
  });

  it("refuses an events database it cannot use, naming it", async () => {
    const child = spawn(node, [entry, "serve", "--flags", dir, "--port", "0", "--events-database", "mysql://h/db"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(1);
    expect(stderr).toContain('unsupported events database "mysql://": use postgres:// or a SQLite file path');
  });

  it("refuses to start without a flag source, saying what to pass", async () => {
    const child = spawn(node, [entry, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(2); // bad usage
    expect(stderr).toContain("say where the flags are: --flags DIR, or --kubernetes");
  });
});
