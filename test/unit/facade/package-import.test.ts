// The original system's usage examples, written exactly as a user of the package writes them.
// "vexil" resolves to the package itself (exports → dist/), so run `npm run build` first;
// `npm test` does.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  EvaluationContext,
  FeatureFlagsInteraction,
  FlagType,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
} from "vexil";

describe('import { FeatureFlagsInteraction, ... } from "vexil"', () => {
  it("runs the original usage examples as written", async () => {
    const flags = new FeatureFlagsInteraction();
    await flags.createFlag({
      key: "new-checkout",
      name: "New checkout",
      flagType: FlagType.BOOLEAN,
      enabled: true,
      description: "New checkout flow",
      rolloutPercentage: 25,
    });
    await flags.addSegment(
      "new-checkout",
      new Segment({ name: "premium-users", rules: [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")] }),
    );
    await flags.createFlag({ key: "button-color", name: "Button color", flagType: FlagType.STRING });
    await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue", weight: 50 }));
    await flags.addVariant("button-color", new Variant({ name: "green", value: "green", weight: 50 }));

    const on = await flags.evaluateFlag("new-checkout", { userId: "user-1" });
    expect(on).toBe(false); // not a premium user: the segment decides
    const d = await flags.evaluateFlagDetailed(
      "new-checkout",
      new EvaluationContext({ userId: "user-1", attributes: { plan: "premium" } }),
    );
    expect(d).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(d.errorCode).toBeUndefined();
    const color = await flags.evaluateFlagDetailed("button-color", { userId: "user-1" });
    expect(["blue", "green"]).toContain(color.value);
    expect(color.reason).toBe("SPLIT");
    await flags.close();
  });

  it("delivers signed webhooks out of the box", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ body, headers: req.headers });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const flags = new FeatureFlagsInteraction();
    try {
      const { port } = server.address() as AddressInfo;
      await flags.addWebhook({ url: `http://127.0.0.1:${port}/`, secret });
      await flags.createFlag({ key: "new-checkout" });
      await flags.flushWebhooks();
      expect(received).toHaveLength(1);
      const payload = new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
      expect(payload).toMatchObject({ type: "created", data: { resource: { name: "new-checkout" } } });
    } finally {
      await flags.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
