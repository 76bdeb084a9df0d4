import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { FeatureFlagsInteraction } from "../../../api/index.ts";
import { FeatureFlagsInteraction as CoreFeatureFlagsInteraction } from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A real receiver on 127.0.0.1 answering with `status` (a function of the request count). */
function receiver(port = 0, status: (n: number) => number = () => 204) {
  const received: Received[] = [];
  let waiting: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = status(received.length);
      res.end();
      waiting = waiting.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
    });
  });
  const started = new Promise<number>((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    started,
    received,
    until: (count: number) =>
      new Promise<void>((resolve) => (received.length >= count ? resolve() : waiting.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

describe("webhooks", () => {
  it("deliver each change signed with Standard Webhooks, verifiable by the receiver", async () => {
    const server = receiver();
    open.push(server);
    const port = await server.started;
    const flags = new FeatureFlagsInteraction({ actor: "alice" });
    open.push(flags);
    const hook = await flags.addWebhook({ url: `http://127.0.0.1:${port}/hooks`, secret: SECRET });
    await flags.createFlag({ key: "f" });
    await flags.killSwitch("f");
    await server.until(2);
    const verifier = new Webhook(SECRET);
    const payloads = server.received.map(
      (r) => verifier.verify(r.body, r.headers) as { type: string; data: { actor: string; resource: unknown } },
    );
    expect(payloads.map((p) => p.type)).toEqual(["created", "killSwitchOn"]);
    expect(payloads[1]?.data).toMatchObject({ actor: "alice", resource: { kind: "FeatureFlag", name: "f" } });
    expect(server.received[0]?.headers["content-type"]).toBe("application/json");
    await flags.flushWebhooks();
    expect(await flags.listWebhooks()).toEqual([{ ...hook, delivered: 2, pending: 0 }]);
  });

  it("reject a tampered body on the receiver's side", async () => {
    const server = receiver();
    open.push(server);
    const flags = new FeatureFlagsInteraction();
    open.push(flags);
    await flags.addWebhook({ url: `http://127.0.0.1:${await server.started}/`, secret: SECRET });
    await flags.createFlag({ key: "f" });
    await server.until(1);
    const { body, headers } = server.received[0]!;
    expect(() => new Webhook(SECRET).verify(body.replace('"f"', '"g"'), headers)).toThrow(/No matching signature/);
  });

  it("send only the events asked for", async () => {
    const server = receiver();
    open.push(server);
    const flags = new FeatureFlagsInteraction();
    open.push(flags);
    await flags.addWebhook({
      url: `http://127.0.0.1:${await server.started}/`,
      secret: SECRET,
      events: ["killSwitchOn"],
    });
    await flags.createFlag({ key: "f" });
    await flags.killSwitch("f");
    await flags.flushWebhooks();
    expect(server.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(["killSwitchOn"]);
  });

  it("stop sending to a removed receiver", async () => {
    const server = receiver();
    open.push(server);
    const flags = new FeatureFlagsInteraction();
    open.push(flags);
    const hook = await flags.addWebhook({ url: `http://127.0.0.1:${await server.started}/`, secret: SECRET });
    expect(await flags.removeWebhook(hook.id)).toBe(true);
    expect(await flags.removeWebhook(hook.id)).toBe(false);
    await flags.createFlag({ key: "f" });
    await flags.flushWebhooks();
    expect(server.received).toEqual([]);
    expect(await flags.listWebhooks()).toEqual([]);
  });

  it("never fail the API call when the receiver is down, and retry until it is back", async () => {
    const probe = receiver();
    const port = await probe.started;
    await probe.close(); // nothing listens on `port` now
    const flags = new FeatureFlagsInteraction({
      webhookDelivery: { initialDelayMs: 50, maxDelayMs: 100, attempts: 100 },
    });
    open.push(flags);
    await flags.addWebhook({ url: `http://127.0.0.1:${port}/`, secret: SECRET });
    const started = Date.now();
    await flags.createFlag({ key: "f" });
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [status] = await flags.listWebhooks();
    expect(status).toMatchObject({ delivered: 0, pending: 1 });
    expect(status?.lastError).toMatch(/ECONNREFUSED/);
    const server = receiver(port);
    open.push(server);
    await server.started;
    await server.until(1);
    await flags.flushWebhooks();
    expect((await flags.listWebhooks())[0]).toMatchObject({ delivered: 1, failed: 0, pending: 0 });
    expect(new Webhook(SECRET).verify(server.received[0]!.body, server.received[0]!.headers)).toMatchObject({
      type: "created",
    });
  });

  it("retry server errors with the same webhook-id, and give up on a client error", async () => {
    const server = receiver(0, (n) => (n === 1 ? 503 : n === 2 ? 200 : 400));
    open.push(server);
    const flags = new FeatureFlagsInteraction({ webhookDelivery: { initialDelayMs: 10 } });
    open.push(flags);
    await flags.addWebhook({ url: `http://127.0.0.1:${await server.started}/`, secret: SECRET });
    await flags.createFlag({ key: "f" });
    await flags.flushWebhooks();
    expect(server.received).toHaveLength(2);
    expect(server.received[0]?.headers["webhook-id"]).toBe(server.received[1]?.headers["webhook-id"]);
    await flags.killSwitch("f");
    await flags.flushWebhooks();
    expect(server.received).toHaveLength(3);
    expect((await flags.listWebhooks())[0]).toMatchObject({ delivered: 1, failed: 1, lastError: "HTTP 400" });
  });

  it("drop the oldest message when a receiver's queue is full", async () => {
    const probe = receiver();
    const port = await probe.started;
    await probe.close();
    const flags = new FeatureFlagsInteraction({ webhookDelivery: { queueLimit: 2, initialDelayMs: 10_000 } });
    await flags.addWebhook({ url: `http://127.0.0.1:${port}/`, secret: SECRET });
    for (const key of ["a", "b", "c", "d"]) await flags.createFlag({ key });
    // the first is in flight (waiting to retry); of the three queued after it only two fit
    expect((await flags.listWebhooks())[0]).toMatchObject({ dropped: 1, pending: 3 });
    const closing = Date.now();
    await flags.close();
    await flags.flushWebhooks();
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it("reject registrations with a bad url, secret or event name", async () => {
    const flags = new FeatureFlagsInteraction();
    const url = await rejection(flags.addWebhook({ url: "not a url", secret: SECRET }));
    expect(url.code).toBe("INVALID_WEBHOOK");
    expect(url.message).toBe('webhook url "not a url" is not a valid URL');
    expect((await rejection(flags.addWebhook({ url: "ftp://x", secret: SECRET }))).message).toBe(
      "webhook url must be http or https (got ftp:)",
    );
    const secret = await rejection(flags.addWebhook({ url: "http://127.0.0.1/", secret: "not base64!!" }));
    expect(secret.message).toMatch(/^webhook secret must be base64, optionally prefixed "whsec_"/);
    const event = await rejection(
      flags.addWebhook({ url: "http://127.0.0.1/", secret: SECRET, events: ["killed" as never] }),
    );
    expect(event.message).toMatch(/^unknown webhook event "killed"; use any of: created, updated/);
    expect(await flags.listWebhooks()).toEqual([]);
  });
});

describe("webhook delivery lives outside core", () => {
  it("core's own FeatureFlagsInteraction sends nothing and says where delivery comes from", async () => {
    const flags = new CoreFeatureFlagsInteraction();
    const error = await rejection(flags.addWebhook({ url: "http://127.0.0.1/", secret: SECRET }));
    expect(error.code).toBe("NOT_SUPPORTED");
    expect(error.message).toMatch(/^this FeatureFlagsInteraction has no webhook delivery: import it from "vexil"/);
    await flags.createFlag({ key: "f" });
    await flags.flushWebhooks();
    expect(await flags.listWebhooks()).toEqual([]);
    await flags.close();
  });

  it("a withEnvironment view is the package's class and delivers through the same receivers", async () => {
    const server = receiver();
    open.push(server);
    const flags = new FeatureFlagsInteraction();
    open.push(flags);
    const hook = await flags.addWebhook({ url: `http://127.0.0.1:${await server.started}/`, secret: SECRET });
    const staging = flags.withEnvironment("staging");
    expect(staging).toBeInstanceOf(FeatureFlagsInteraction);
    expect(staging.environment).toBe("staging");
    await staging.createFlag({ key: "f" });
    await staging.flushWebhooks();
    expect(await flags.listWebhooks()).toEqual([{ ...hook, delivered: 1, pending: 0 }]);
    expect(new Webhook(SECRET).verify(server.received[0]!.body, server.received[0]!.headers)).toMatchObject({
      type: "created",
    });
  });
});
