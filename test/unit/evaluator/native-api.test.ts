// The native API: snapshot with ETag, change stream, flag listing, full evaluation results,
// event intake, and the health and metrics endpoints.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluatorServer } from "../../../evaluator/server.ts";
import { DirectorySnapshotSource } from "../../../evaluator/sources/directory.ts";
import { StaticSnapshotSource } from "../../../evaluator/sources/source.ts";
import { booleanFlag, snapshotOf } from "../snapshot/snapshot-fixture.ts";
import { flagYaml, startEvaluator, type Harness } from "./harness.ts";

const TIER = flagYaml(
  "tier",
  "type: string\nvariants: [{name: gold, value: gold}]\ndefaultVariant: gold\noffVariant: gold",
);
let harness: Harness;
beforeAll(async () => {
  harness = await startEvaluator({ "flags.yaml": flagYaml("checkout", "type: boolean") + TIER }, { heartbeatMs: 50 });
});
afterAll(() => harness.close());

/** Reads server-sent events until `until` says stop. */
async function readEvents(
  url: string,
  until: (text: string) => boolean,
  onOpen?: () => Promise<void>,
): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let opened = false;
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (!opened && onOpen && text.includes("event: snapshot")) {
      opened = true;
      await onOpen();
    }
  }
  controller.abort();
  return text;
}

describe("native API", () => {
  it("serves the snapshot with its hash as ETag and 304s a repeat", async () => {
    const first = await fetch(`${harness.baseUrl}/v1/snapshot`);
    expect(first.status).toBe(200);
    const snapshot = (await first.json()) as { hash: string; flags: Record<string, unknown>; environment: string };
    expect(first.headers.get("etag")).toBe(`"${snapshot.hash}"`);
    expect(Object.keys(snapshot.flags).sort()).toEqual(["checkout", "tier"]);
    expect(snapshot.environment).toBe("production");
    const repeat = await fetch(`${harness.baseUrl}/v1/snapshot`, {
      headers: { "if-none-match": `"${snapshot.hash}"` },
    });
    expect(repeat.status).toBe(304);
  });

  it("lists flags with their types and variants", async () => {
    const body = (await (await fetch(`${harness.baseUrl}/v1/flags`)).json()) as { flags: unknown[]; hash: string };
    expect(body.flags).toEqual([
      {
        key: "checkout",
        type: "boolean",
        enabled: true,
        killSwitch: false,
        variants: ["off", "on"],
        defaultVariant: "on",
        offVariant: "off",
      },
      {
        key: "tier",
        type: "string",
        enabled: true,
        killSwitch: false,
        variants: ["gold"],
        defaultVariant: "gold",
        offVariant: "gold",
      },
    ]);
  });

  it("returns the engine's full result, errors included, on /v1/evaluate", async () => {
    const evaluate = async (key: string, body: object) =>
      (
        await fetch(`${harness.baseUrl}/v1/evaluate/${key}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json();
    expect(await evaluate("checkout", { context: { targetingKey: "u" } })).toMatchObject({
      key: "checkout",
      value: true,
      variant: "on",
      reason: "STATIC",
    });
    expect(await evaluate("checkout", { context: {}, defaultValue: "x", expectedType: "string" })).toMatchObject({
      value: "x",
      reason: "ERROR",
      errorCode: "TYPE_MISMATCH",
    });
    expect(await evaluate("gone", { defaultValue: 3 })).toMatchObject({ value: 3, errorCode: "FLAG_NOT_FOUND" });
    expect(await evaluate("checkout", { expectedType: "date" })).toMatchObject({
      errorCode: "INVALID_REQUEST",
      errorDetails: expect.stringMatching(/^body\.expectedType: /),
    });
  });

  it("streams the current version at once, then each change, with heartbeats", async () => {
    const before = (await (await fetch(`${harness.baseUrl}/v1/snapshot`)).json()) as { hash: string };
    const text = await readEvents(
      `${harness.baseUrl}/v1/stream`,
      (t) => (t.match(/event: snapshot/g) ?? []).length >= 2 && t.includes(": heartbeat"),
      () => harness.write("flags.yaml", flagYaml("checkout", "type: boolean\nenabled: false") + TIER),
    );
    const events = [...text.matchAll(/event: snapshot\nid: (\w+)\ndata: (.*)\n\n/g)];
    expect(events[0]?.[2]).toBe(JSON.stringify({ hash: before.hash }));
    expect(events[1]?.[1]).not.toBe(before.hash);
    expect(text).toMatch(/^retry: \d+\n\n/);
    await expect.poll(() => harness.metric("vexil_stream_clients")).toMatch(/vexil_stream_clients 0/);
  });

  it("accepts event batches with 202 and, without an event store, says they were ignored", async () => {
    const response = await fetch(`${harness.baseUrl}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { type: "exposure", flag: "checkout", variant: "on", targetingKey: "u1", timestamp: "2026-11-24T10:00:00Z" },
        { type: "conversion", flag: "checkout", event: "purchase", targetingKey: "u1" },
      ]),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 0,
      ignored: 2,
      ignoredReasons: { no_event_store: 2 },
      dropped: 0,
    });
    expect(await harness.metric("vexil_events_received_total")).toMatch(/type="conversion"\} 1/);
  });

  it("answers /v1/experiments with 503 when no event store is configured", async () => {
    const response = await fetch(`${harness.baseUrl}/v1/experiments`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      errorCode: "EVENTS_UNAVAILABLE",
      errorDetails: "this evaluator has no event store (vexil serve --events-database)",
    });
  });

  it("exposes Prometheus metrics for evaluations, requests and the snapshot", async () => {
    await fetch(`${harness.baseUrl}/ofrep/v1/evaluate/flags/tier`, { method: "POST" });
    await fetch(`${harness.baseUrl}/ofrep/v1/evaluate/flags/random-key-123`, { method: "POST" });
    const response = await fetch(`${harness.baseUrl}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/vexil_evaluations_total\{flag="tier",variant="gold",reason="STATIC"\} 1/);
    expect(text).toMatch(/vexil_evaluations_total\{flag="",variant="",reason="ERROR"\} [1-9]/);
    expect(text).not.toMatch(/random-key-123/);
    expect(text).toMatch(
      /vexil_http_request_duration_seconds_count\{route="\/ofrep\/v1\/evaluate\/flags\/:key",method="POST",status="200"\}/,
    );
    expect(text).toMatch(/vexil_snapshot_info\{hash="[0-9a-f]{64}",namespace="default",environment="production"\} 1/);
    expect(text).toMatch(/vexil_snapshot_age_seconds \d/);
    expect(text).toMatch(/vexil_evaluation_duration_seconds_bucket/);
  });

  it("answers health checks", async () => {
    expect(await (await fetch(`${harness.baseUrl}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${harness.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("serves OFREP's configuration extension", async () => {
    const body = await (await fetch(`${harness.baseUrl}/ofrep/v1/configuration`)).json();
    expect(body).toMatchObject({
      name: "vexil",
      capabilities: { flagEvaluation: { supportedTypes: expect.arrayContaining(["boolean", "object"]) } },
    });
  });
});

describe("before the first good snapshot", () => {
  it("is not ready and answers evaluations with 503 PROVIDER_NOT_READY", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "vexil-empty-"));
    const source = new DirectorySnapshotSource({
      dir: path.join(dir, "missing"),
      namespace: "default",
      environment: "production",
    });
    const evaluator = createEvaluatorServer({ source, defaultMetrics: false });
    await source.start();
    const running = await evaluator.listen(0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${running.port}`;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "waiting for the first snapshot" });
      const evaluation = await fetch(`${base}/ofrep/v1/evaluate/flags/x`, { method: "POST" });
      expect(evaluation.status).toBe(503);
      expect(evaluation.headers.get("retry-after")).toBe("1");
      expect(await evaluation.json()).toEqual({
        key: "x",
        errorCode: "PROVIDER_NOT_READY",
        errorDetails: "no flag snapshot is loaded yet",
      });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await running.close();
      await source.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a snapshot from elsewhere (StaticSnapshotSource)", () => {
  it("reports a malformed flag as PARSE_ERROR without affecting the others", async () => {
    const good = booleanFlag("good");
    const snapshot = snapshotOf([good]);
    const malformed = {
      ...snapshot,
      flags: { ...snapshot.flags, broken: { key: "broken", type: "boolean" } as never },
    };
    const source = new StaticSnapshotSource(malformed);
    const evaluator = createEvaluatorServer({ source, defaultMetrics: false });
    await source.start();
    const running = await evaluator.listen(0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${running.port}/ofrep/v1/evaluate/flags`;
      const single = await fetch(`${base}/broken`, { method: "POST" });
      expect(single.status).toBe(400);
      expect(await single.json()).toEqual({
        key: "broken",
        errorCode: "PARSE_ERROR",
        errorDetails: 'flag "broken" is malformed: variants must be an object',
      });
      const bulk = (await (await fetch(base, { method: "POST" })).json()) as { flags: object[] };
      expect(bulk.flags).toEqual([
        {
          key: "broken",
          errorCode: "PARSE_ERROR",
          errorDetails: 'flag "broken" is malformed: variants must be an object',
        },
        { key: "good", reason: "STATIC", variant: "on", value: true, metadata: {} },
      ]);
    } finally {
      await running.close();
    }
  });
});
