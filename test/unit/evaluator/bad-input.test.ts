// Hostile and careless requests: each gets a specific 4xx with an OFREP-shaped body, and the
// service keeps working afterwards.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flagYaml, startEvaluator, type Harness } from "./harness.ts";

let harness: Harness;
beforeAll(async () => {
  const flags =
    flagYaml("checkout", "type: boolean") +
    flagYaml(
      "admin-panel",
      `type: boolean
defaultVariant: "off"
rules:
  - conditions: [{attribute: role, operator: equals, values: [admin]}]
    serve: {variant: "on"}`,
    );
  harness = await startEvaluator({ "flags.yaml": flags }, { maxBodyBytes: 1024 });
});
afterAll(() => harness.close());

async function post(
  path: string,
  body: string | undefined,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  const response = await fetch(`${harness.baseUrl}${path}`, {
    method: "POST",
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

const single = "/ofrep/v1/evaluate/flags/checkout";

describe("bad input over HTTP", () => {
  it("answers an oversized body with 413 and the limit", async () => {
    const res = await post(single, JSON.stringify({ context: { targetingKey: "u", pad: "x".repeat(2000) } }));
    expect(res.status).toBe(413);
    expect(res.json).toEqual({
      key: "checkout",
      errorCode: "PAYLOAD_TOO_LARGE",
      errorDetails: "the request body is larger than the 1024-byte limit",
    });
  });

  it("answers malformed JSON with 400 PARSE_ERROR and no stack trace", async () => {
    const res = await post(single, '{"context": {"targetingKey": "u",}');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ key: "checkout", errorCode: "PARSE_ERROR" });
    expect(res.json.errorDetails).toMatch(/^the request body is not valid JSON: /);
    expect(res.text).not.toMatch(/ at .*\.(ts|js):\d+/);
  });

  it("answers a body that is not an object with 400 INVALID_CONTEXT", async () => {
    for (const body of ["[1,2]", '"text"', "42", "null"]) {
      const res = await post(single, body);
      expect(res.status, body).toBe(400);
      expect(res.json.errorCode, body).toMatch(/INVALID_CONTEXT|PARSE_ERROR/);
    }
    const array = await post(single, "[1,2]");
    expect(array.json).toEqual({
      key: "checkout",
      errorCode: "INVALID_CONTEXT",
      errorDetails: 'the request body must be a JSON object such as {"context": {"targetingKey": "user-1"}}',
    });
  });

  it("answers a context that is not an object with 400 INVALID_CONTEXT", async () => {
    const res = await post(single, JSON.stringify({ context: ["u"] }));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      key: "checkout",
      errorCode: "INVALID_CONTEXT",
      errorDetails: "context must be a JSON object, not an array",
    });
    const bulk = await post("/ofrep/v1/evaluate/flags", JSON.stringify({ context: "u" }));
    expect(bulk.status).toBe(400);
    expect(bulk.json).toEqual({
      errorCode: "INVALID_CONTEXT",
      errorDetails: "context must be a JSON object, not a string",
    });
  });

  it("answers a non-string targetingKey with 400 INVALID_CONTEXT", async () => {
    const res = await post(single, JSON.stringify({ context: { targetingKey: 42 } }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ key: "checkout", errorCode: "INVALID_CONTEXT" });
    expect(res.json.errorDetails).toMatch(/targetingKey/);
  });

  it("rejects deeply nested contexts before evaluating them", async () => {
    const deep = `{"context":{"a":${"[".repeat(400)}${"]".repeat(400)}}}`;
    const res = await post(single, deep);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      key: "checkout",
      errorCode: "INVALID_CONTEXT",
      errorDetails: "context is nested deeper than 32 levels",
    });
  });

  it("treats __proto__ and constructor in a context as plain attribute names", async () => {
    const body =
      '{"context": {"targetingKey": "u", "__proto__": {"role": "admin", "polluted": true}, "constructor": {"prototype": {"polluted": true}}}}';
    const res = await post("/ofrep/v1/evaluate/flags/admin-panel", body);
    expect(res.status).toBe(200);
    // the rule tests `role`: it must not be inherited through a polluted prototype
    expect(res.json).toMatchObject({ key: "admin-panel", value: false, variant: "off", reason: "DEFAULT" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    const bulk = await post("/ofrep/v1/evaluate/flags", body);
    expect(bulk.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await fetch(`${harness.baseUrl}${single}`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({
      errorCode: "METHOD_NOT_ALLOWED",
      errorDetails: "GET is not allowed here; use POST",
    });
    const snapshot = await fetch(`${harness.baseUrl}/v1/snapshot`, { method: "DELETE" });
    expect(snapshot.status).toBe(405);
    expect(snapshot.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers a wrong content type with 415", async () => {
    const res = await post(single, "context=1", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({
      key: "checkout",
      errorCode: "UNSUPPORTED_MEDIA_TYPE",
      errorDetails: "send the body as application/json, not application/x-www-form-urlencoded",
    });
    const text = await post("/v1/events", "[]", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
  });

  it("evaluates a request without a body as an empty context (OFREP's context is optional)", async () => {
    const res = await post(single, undefined, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ key: "checkout", value: true, reason: "STATIC" });
    const emptyJson = await post(single, "", { "content-type": "application/json" });
    expect(emptyJson.status).toBe(200);
  });

  it("answers an unknown flag with 404 FLAG_NOT_FOUND naming the key", async () => {
    const res = await post("/ofrep/v1/evaluate/flags/nope", "{}");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ key: "nope", errorCode: "FLAG_NOT_FOUND" });
    expect(res.json.errorDetails).toMatch(/nope/);
  });

  it("answers an unknown path with 404 JSON", async () => {
    const res = await fetch(`${harness.baseUrl}/v2/whatever`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errorCode: "NOT_FOUND", errorDetails: "no such endpoint: GET /v2/whatever" });
  });

  it("rejects invalid event batches with the field at fault", async () => {
    const res = await post("/v1/events", JSON.stringify([{ type: "exposure", flag: "checkout", variant: "on" }]));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      errorCode: "INVALID_REQUEST",
      errorDetails: "events[0].targetingKey: Invalid input: expected string, received undefined",
    });
  });

  it("survives a client that disconnects mid-body", async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${harness.baseUrl}${single}`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "500" },
      });
      req.on("error", () => resolve());
      req.write('{"context": {');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    const res = await post(single, "{}");
    expect(res.status).toBe(200);
  });

  it("counts error responses by code", async () => {
    await post("/ofrep/v1/evaluate/flags/nope", "{}");
    const metrics = await harness.metric("vexil_http_request_errors_total");
    expect(metrics).toMatch(/vexil_http_request_errors_total\{code="FLAG_NOT_FOUND"\} [1-9]/);
    expect(metrics).toMatch(/code="PARSE_ERROR"/);
  });
});
