// The OFREP fast path in front of express: which requests it takes, that it answers exactly as
// the express routes do, and that requests on both paths are timed, counted and drained.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlagEvaluator } from "../../../evaluator/evaluation.ts";
import { fastOfrepKey, frontDoor } from "../../../evaluator/http/front-door.ts";
import { ofrepEvaluationHandlers } from "../../../evaluator/http/ofrep.ts";
import { createMetrics } from "../../../evaluator/metrics.ts";
import { createEvaluatorServer } from "../../../evaluator/server.ts";
import { StaticSnapshotSource } from "../../../evaluator/sources/source.ts";
import { booleanFlag, snapshotOf } from "../snapshot/snapshot-fixture.ts";
import { CATALOGUE, startEvaluator, type Harness } from "./harness.ts";

describe("which requests take the fast path", () => {
  it("takes POSTs to the canonical single and bulk evaluation paths, decoding the key", () => {
    expect(fastOfrepKey("POST", "/ofrep/v1/evaluate/flags/banner-color")).toBe("banner-color");
    expect(fastOfrepKey("POST", "/ofrep/v1/evaluate/flags/caf%C3%A9")).toBe("café");
    expect(fastOfrepKey("POST", "/ofrep/v1/evaluate/flags")).toBe("");
  });

  it("leaves every other spelling, method and path to express", () => {
    for (const url of [
      "/ofrep/v1/evaluate/flags/",
      "/ofrep/v1/evaluate/flags/a/",
      "/ofrep/v1/evaluate/flags/a?x=1",
      "/ofrep/v1/evaluate/flags?x=1",
      "/ofrep/v1/evaluate/flags/%E0%A4%A",
      "/ofrep/v1/configuration",
      "/v1/evaluate/a",
    ]) {
      expect(fastOfrepKey("POST", url), url).toBeUndefined();
    }
    expect(fastOfrepKey("GET", "/ofrep/v1/evaluate/flags/a")).toBeUndefined();
    expect(fastOfrepKey("POST", undefined)).toBeUndefined();
  });
});

describe("the fast path and express answer alike", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE });
  });
  afterAll(() => harness.close());

  async function evaluate(path: string, context: object) {
    const response = await fetch(`${harness.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ context }),
    });
    return {
      status: response.status,
      etag: response.headers.get("etag"),
      type: response.headers.get("content-type"),
      body: await response.json(),
    };
  }

  it("gives the same single-flag answers, errors included, on both paths", async () => {
    for (const [key, context] of [
      ["banner-color", { targetingKey: "vip-1" }],
      ["discount", { country: "FR" }],
      ["nope", {}],
      ["discount", { targetingKey: 1 }],
    ] as const) {
      const fast = await evaluate(`/ofrep/v1/evaluate/flags/${key}`, context);
      expect(await evaluate(`/ofrep/v1/evaluate/flags/${key}/`, context), key).toEqual(fast);
      expect(await evaluate(`/ofrep/v1/evaluate/flags/${key}?via=express`, context), key).toEqual(fast);
    }
    expect(await evaluate("/ofrep/v1/evaluate/flags/banner-color", { targetingKey: "vip-1" })).toEqual({
      status: 200,
      etag: null,
      type: "application/json; charset=utf-8",
      body: { key: "banner-color", reason: "TARGETING_MATCH", variant: "green", value: "green", metadata: {} },
    });
  });

  it("gives the same bulk answer and ETag on both paths", async () => {
    const fast = await evaluate("/ofrep/v1/evaluate/flags", { targetingKey: "u1" });
    expect(fast.status).toBe(200);
    expect(fast.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(await evaluate("/ofrep/v1/evaluate/flags/", { targetingKey: "u1" })).toEqual(fast);
  });

  it("times both paths under their route pattern and counts errors by code", async () => {
    await evaluate("/ofrep/v1/evaluate/flags/nope", {});
    await evaluate("/ofrep/v1/evaluate/flags/nope/", {});
    const durations = await harness.metric("vexil_http_request_duration_seconds");
    const count =
      /vexil_http_request_duration_seconds_count\{route="\/ofrep\/v1\/evaluate\/flags\/:key",method="POST",status="404"\} (\d+)/.exec(
        durations,
      );
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);
    expect(await harness.metric("vexil_http_request_errors_total")).toMatch(/code="FLAG_NOT_FOUND"\} [2-9]/);
  });

  it("keeps counting evaluations across scrapes (the tally is handed over, not lost or doubled)", async () => {
    const counted = async () => {
      const text = await harness.metric("vexil_evaluations_total");
      return Number(/flag="all-in",variant="on",reason="SPLIT"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await counted();
    for (let i = 0; i < 2; i++) await evaluate("/ofrep/v1/evaluate/flags/all-in", { targetingKey: `u${i}` });
    expect(await counted()).toBe(before + 2);
    expect(await counted()).toBe(before + 2);
    for (let i = 0; i < 3; i++) await evaluate("/ofrep/v1/evaluate/flags/all-in", { targetingKey: `v${i}` });
    expect(await counted()).toBe(before + 5);
  });
});

describe("embedding the evaluator's handler", () => {
  let server: Server;
  let base: string;
  const evaluator = createEvaluatorServer({
    source: new StaticSnapshotSource(snapshotOf([booleanFlag("checkout")])),
    defaultMetrics: false,
  });
  beforeAll(async () => {
    server = createServer(evaluator.handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("serves OFREP, the native API and metrics from a caller's own http.Server", async () => {
    const answer = await fetch(`${base}/ofrep/v1/evaluate/flags/checkout`, { method: "POST" });
    expect(answer.status).toBe(503); // the caller has not started the source yet
    expect(await answer.json()).toEqual({
      key: "checkout",
      errorCode: "PROVIDER_NOT_READY",
      errorDetails: "no flag snapshot is loaded yet",
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(
      /vexil_http_request_errors_total\{code="PROVIDER_NOT_READY"\} 1/,
    );
  });
});

describe("draining", () => {
  it("asks keep-alive clients to close their connection, on the fast path and through express", async () => {
    const source = new StaticSnapshotSource(snapshotOf([booleanFlag("checkout")]));
    await source.start();
    const metrics = createMetrics({ defaultMetrics: false });
    const ofrep = ofrepEvaluationHandlers({
      source,
      evaluator: new FlagEvaluator(metrics),
      maxBodyBytes: 1024,
      logError: () => {},
    });
    const app: RequestListener = (_req, res) => res.end("from express");
    const server = createServer(frontDoor({ app, ofrep, metrics, draining: () => true }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const fast = await fetch(`${base}/ofrep/v1/evaluate/flags/checkout`, { method: "POST" });
      expect(fast.headers.get("connection")).toBe("close");
      expect(await fast.json()).toMatchObject({ key: "checkout", value: true });
      const other = await fetch(`${base}/healthz`);
      expect(other.headers.get("connection")).toBe("close");
      expect(await other.text()).toBe("from express");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
