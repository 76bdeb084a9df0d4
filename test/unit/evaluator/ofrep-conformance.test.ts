// The OpenFeature server SDK with the OFREP provider, unchanged, against a running evaluator:
// what an in-cluster service sees.
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { ErrorCode, OpenFeature, type Client } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE, flagYaml, startEvaluator, type Harness } from "./harness.ts";

let domainCount = 0;
async function clientFor(baseUrl: string, headers?: Record<string, string>): Promise<Client> {
  const domain = `vexil-${++domainCount}`;
  await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl, ...(headers ? { headers } : {}) }));
  return OpenFeature.getClient(domain);
}

afterAll(async () => {
  await OpenFeature.close();
});

describe("OFREP with the OpenFeature SDK", () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startEvaluator({ "flags.yaml": CATALOGUE });
    client = await clientFor(harness.baseUrl);
  });
  afterAll(() => harness.close());

  it("serves a boolean flag without targeting as STATIC", async () => {
    const details = await client.getBooleanDetails("static-bool", false, { targetingKey: "u1" });
    expect(details).toMatchObject({ value: true, variant: "on", reason: "STATIC" });
    expect(details.errorCode).toBeUndefined();
  });

  it("serves a string flag: individual target → TARGETING_MATCH, others → DEFAULT", async () => {
    expect(await client.getStringDetails("banner-color", "none", { targetingKey: "vip-1" })).toMatchObject({
      value: "green",
      variant: "green",
      reason: "TARGETING_MATCH",
    });
    expect(await client.getStringDetails("banner-color", "none", { targetingKey: "u2" })).toMatchObject({
      value: "blue",
      reason: "DEFAULT",
    });
  });

  it("serves a number flag from a rule on a context attribute", async () => {
    expect(await client.getNumberDetails("discount", -1, { targetingKey: "u3", country: "FR" })).toMatchObject({
      value: 2.5,
      variant: "some",
      reason: "TARGETING_MATCH",
    });
    expect(await client.getNumberValue("discount", -1, { targetingKey: "u3", country: "DE" })).toBe(0);
  });

  it("serves an object flag split by weight (SPLIT), the same variant for the same user", async () => {
    const first = await client.getObjectDetails("theme", {}, { targetingKey: "user-42" });
    expect(first.reason).toBe("SPLIT");
    expect(["light", "dark"]).toContain(first.variant);
    expect(first.value).toEqual(
      first.variant === "light" ? { background: "white", size: 12 } : { background: "black", size: 14 },
    );
    expect((await client.getObjectDetails("theme", {}, { targetingKey: "user-42" })).variant).toBe(first.variant);
  });

  it("serves a 100 % rollout as SPLIT", async () => {
    expect(await client.getBooleanDetails("all-in", false, { targetingKey: "u5" })).toMatchObject({
      value: true,
      reason: "SPLIT",
    });
  });

  it("serves the off variant of a disabled flag as DISABLED", async () => {
    expect(await client.getBooleanDetails("switched-off", true, { targetingKey: "u6" })).toMatchObject({
      value: false,
      variant: "off",
      reason: "DISABLED",
    });
  });

  it("passes the custom reason PREREQUISITE_FAILED through to the caller", async () => {
    expect(await client.getBooleanDetails("needs-switched-off", true, { targetingKey: "u7" })).toMatchObject({
      value: false,
      variant: "off",
      reason: "PREREQUISITE_FAILED",
    });
  });

  it("gives the caller's default with FLAG_NOT_FOUND for an unknown flag", async () => {
    const details = await client.getBooleanDetails("no-such-flag", true, { targetingKey: "u8" });
    expect(details).toMatchObject({ value: true, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it("gives the caller's default with TYPE_MISMATCH when the flag has another type", async () => {
    const details = await client.getNumberDetails("static-bool", 7, { targetingKey: "u9" });
    expect(details).toMatchObject({ value: 7, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it("bulk-evaluates every flag with an ETag that changes with the context, and 304s a repeat", async () => {
    const post = (context: object, etag?: string) =>
      fetch(`${harness.baseUrl}/ofrep/v1/evaluate/flags`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(etag ? { "if-none-match": etag } : {}) },
        body: JSON.stringify({ context }),
      });
    const first = await post({ targetingKey: "vip-1" });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const body = (await first.json()) as { flags: { key: string; value?: unknown; reason?: string }[] };
    expect(body.flags.map((f) => f.key)).toEqual([
      "all-in",
      "banner-color",
      "discount",
      "needs-switched-off",
      "static-bool",
      "switched-off",
      "theme",
    ]);
    expect(body.flags.find((f) => f.key === "banner-color")).toMatchObject({
      value: "green",
      reason: "TARGETING_MATCH",
    });
    const repeat = await post({ targetingKey: "vip-1" }, etag);
    expect(repeat.status).toBe(304);
    expect(await repeat.text()).toBe("");
    const otherUser = await post({ targetingKey: "u2" }, etag);
    expect(otherUser.status).toBe(200);
    expect(otherUser.headers.get("etag")).not.toBe(etag);
  });

  it("reports bulk per-flag errors as items carrying errorCode", async () => {
    // no targetingKey: the weighted split cannot place the user
    const response = await fetch(`${harness.baseUrl}/ofrep/v1/evaluate/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ context: {} }),
    });
    const { flags } = (await response.json()) as {
      flags: { key: string; errorCode?: string; errorDetails?: string }[];
    };
    expect(flags.find((f) => f.key === "theme")).toEqual({
      key: "theme",
      errorCode: "TARGETING_KEY_MISSING",
      errorDetails: expect.stringContaining("targetingKey"),
    });
    expect(flags.find((f) => f.key === "static-bool")).toMatchObject({ value: true, reason: "STATIC" });
  });
});

describe("live reload", () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startEvaluator({ "flags.yaml": flagYaml("live", "type: boolean\nenabled: true") });
    client = await clientFor(harness.baseUrl);
  });
  afterAll(() => harness.close());

  it("serves an edited file within a second", async () => {
    expect(await client.getBooleanValue("live", false, { targetingKey: "u" })).toBe(true);
    const edited = Date.now();
    await harness.write("flags.yaml", flagYaml("live", "type: boolean\nenabled: false"));
    await expect
      .poll(() => client.getBooleanValue("live", true, { targetingKey: "u" }), { interval: 20, timeout: 1000 })
      .toBe(false);
    expect(Date.now() - edited).toBeLessThan(1000);
  });

  it("keeps serving the last good snapshot while a file is broken, then picks up the fix", async () => {
    await harness.write("flags.yaml", flagYaml("live", "type: boolean\nenabled: true"));
    await expect.poll(() => client.getBooleanValue("live", false, { targetingKey: "u" }), { timeout: 1000 }).toBe(true);
    expect(await harness.metric("vexil_snapshot_stale")).toContain("vexil_snapshot_stale 0");
    await harness.write(
      "flags.yaml",
      "apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: {name: live\nspec: [",
    );
    // the unparsable file is served from its last good content, and the snapshot reported stale
    await expect
      .poll(() => harness.metric("vexil_snapshot_stale"), { timeout: 1000 })
      .toContain("vexil_snapshot_stale 1");
    expect(await client.getBooleanDetails("live", false, { targetingKey: "u" })).toMatchObject({
      value: true,
      reason: "STATIC",
    });
    await harness.write("flags.yaml", flagYaml("live", "type: boolean\nkillSwitch: true"));
    await expect.poll(() => client.getBooleanValue("live", true, { targetingKey: "u" }), { timeout: 1000 }).toBe(false);
  });

  it("rejects a snapshot with a semantic problem as a whole (a rule naming an unknown variant)", async () => {
    await harness.write("flags.yaml", flagYaml("live", "type: boolean") + flagYaml("other", "type: boolean"));
    await expect
      .poll(() => client.getBooleanValue("other", false, { targetingKey: "u" }), { timeout: 1000 })
      .toBe(true);
    await harness.write(
      "flags.yaml",
      flagYaml("live", "type: boolean\nenabled: false") + flagYaml("other", "type: boolean\ndefaultVariant: nope"),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    // "live" was edited validly in the same change, but the whole snapshot was rejected
    expect(await client.getBooleanValue("live", false, { targetingKey: "u" })).toBe(true);
  });
});

describe("auth", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEvaluator({ "flags.yaml": flagYaml("secret", "type: boolean") }, { authTokens: ["s3cret"] });
  });
  afterAll(() => harness.close());

  it("serves callers with a bearer token or an API key", async () => {
    const bearer = await clientFor(harness.baseUrl, { Authorization: "Bearer s3cret" });
    expect(await bearer.getBooleanDetails("secret", false, {})).toMatchObject({ value: true, reason: "STATIC" });
    const apiKey = await clientFor(harness.baseUrl, { "X-API-Key": "s3cret" });
    expect(await apiKey.getBooleanValue("secret", false, {})).toBe(true);
  });

  it("gives callers without or with a wrong token their default and an error", async () => {
    const anonymous = await clientFor(harness.baseUrl);
    const details = await anonymous.getBooleanDetails("secret", false, {});
    expect(details).toMatchObject({ value: false, reason: "ERROR" });
    expect(details.errorCode).toBeDefined();
    const wrong = await clientFor(harness.baseUrl, { Authorization: "Bearer nope" });
    expect(await wrong.getBooleanValue("secret", false, {})).toBe(false);
  });

  it("answers 401 without credentials, 403 with wrong ones, and leaves health checks open", async () => {
    const url = `${harness.baseUrl}/ofrep/v1/evaluate/flags/secret`;
    const missing = await fetch(url, { method: "POST" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="vexil"');
    expect(await missing.json()).toEqual({
      errorCode: "UNAUTHORIZED",
      errorDetails: "missing credentials: send Authorization: Bearer <token> or X-API-Key: <token>",
    });
    const wrong = await fetch(url, { method: "POST", headers: { "x-api-key": "nope" } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({
      errorCode: "FORBIDDEN",
      errorDetails: "the token is not valid for this evaluator",
    });
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${harness.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${harness.baseUrl}/v1/snapshot`)).status).toBe(401);
  });
});
