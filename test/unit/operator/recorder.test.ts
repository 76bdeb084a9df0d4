// The Event queue is bounded: when the API server does not keep up, Events beyond the bound are
// dropped, counted and logged, never silently lost. Runs against a real HTTP server on
// 127.0.0.1 that accepts Event posts and never answers, so the queue fills.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditRecorder, type AuditRecord } from "../../../operator/audit/recorder.ts";

describe("AuditRecorder Event queue", () => {
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    server = http.createServer(() => undefined); // holds every request open
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("drops Events beyond maxPending, counts them and says so in the log", () => {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: "stalled", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: "u" }],
      contexts: [{ name: "c", cluster: "stalled", user: "u" }],
      currentContext: "c",
    });
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const recorder = new AuditRecorder({
      core: config.makeApiClient(CoreV1Api),
      instance: "test",
      logger,
      maxPending: 2,
    });
    const record = (name: string): AuditRecord => ({
      time: new Date().toISOString(),
      kind: "FeatureFlag",
      namespace: "shop",
      name,
      reason: "Updated",
      summary: "s",
      type: "Normal",
    });

    // the first is in flight, two wait, the rest are dropped
    for (let i = 0; i < 6; i++) recorder.record(record(`flag-${i}`));
    expect(recorder.dropped).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      dropped: 1,
      reason: "Updated",
      msg: expect.stringMatching(/^Event queue full: Event not posted/),
    });
    void recorder.close(); // settles once afterAll closes the held connection
  });
});
