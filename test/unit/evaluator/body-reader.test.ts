// The JSON body reader that replaced express.json(), over a real node:http server: what it
// accepts, and the specific 4xx for everything it does not.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJsonBody } from "../../../evaluator/http/body.ts";
import { sendJson, sendThrown } from "../../../evaluator/http/errors.ts";

const LIMIT = 64;
let server: Server;
let base: string;
const outcomes: unknown[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    try {
      const body = await readJsonBody(req, LIMIT);
      sendJson(res, 200, JSON.stringify({ body: body === undefined ? "none" : body }));
    } catch (error) {
      outcomes.push(error);
      sendThrown(error, req, res, {});
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function send(body: string | undefined, headers: Record<string, string>) {
  const response = await fetch(base, { method: "POST", headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A chunked body (no Content-Length), written in pieces. */
function sendChunked(pieces: string[]): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(base, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

describe("reading a JSON request body", () => {
  it("parses JSON sent as application/json, a +json type, or with an explicit UTF-8 charset", async () => {
    expect(await send('{"context":{"a":"é"}}', { "content-type": "application/json" })).toEqual({
      status: 200,
      json: { body: { context: { a: "é" } } },
    });
    expect((await send("[1]", { "content-type": "application/merge-patch+json" })).json).toEqual({ body: [1] });
    expect((await send("{}", { "content-type": 'Application/JSON; Charset="UTF-8"' })).json).toEqual({ body: {} });
  });

  it("reads no body, and an empty body, as no body at all", async () => {
    expect((await send(undefined, {})).json).toEqual({ body: "none" });
    expect((await send("", { "content-type": "application/json" })).json).toEqual({ body: "none" });
  });

  it("answers a body that is not JSON, or not UTF-8, or compressed, with 415 saying what to send", async () => {
    expect(await send("a=1", { "content-type": "application/x-www-form-urlencoded" })).toEqual({
      status: 415,
      json: {
        errorCode: "UNSUPPORTED_MEDIA_TYPE",
        errorDetails: "send the body as application/json, not application/x-www-form-urlencoded",
      },
    });
    expect((await send("{}", {})).json.errorDetails).toBe(
      "send the body as application/json, not text/plain;charset=UTF-8",
    );
    expect((await send("{}", { "content-type": "application/json; charset=latin1" })).json).toEqual({
      errorCode: "UNSUPPORTED_MEDIA_TYPE",
      errorDetails: "send the body as UTF-8, not charset latin1",
    });
    expect((await send("{}", { "content-type": "application/json", "content-encoding": "gzip" })).json).toEqual({
      errorCode: "UNSUPPORTED_MEDIA_TYPE",
      errorDetails: 'content encoding "gzip" is not supported; send the body uncompressed',
    });
  });

  it("answers a body over the limit with 413, whether its length is declared or streamed", async () => {
    const tooLarge = {
      errorCode: "PAYLOAD_TOO_LARGE",
      errorDetails: `the request body is larger than the ${LIMIT}-byte limit`,
    };
    expect(await send(JSON.stringify({ pad: "x".repeat(LIMIT) }), { "content-type": "application/json" })).toEqual({
      status: 413,
      json: tooLarge,
    });
    expect(await sendChunked(['{"pad":"', "x".repeat(40), "x".repeat(40), '"}'])).toEqual({
      status: 413,
      json: tooLarge,
    });
    // exactly at the limit is fine, streamed in pieces
    const atLimit = JSON.stringify({ pad: "x".repeat(LIMIT - 10) });
    expect(atLimit).toHaveLength(LIMIT);
    expect((await sendChunked([atLimit.slice(0, 20), atLimit.slice(20)])).status).toBe(200);
  });

  it("answers malformed JSON with 400 PARSE_ERROR quoting the parser", async () => {
    const res = await send('{"context": ', { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.json.errorCode).toBe("PARSE_ERROR");
    expect(res.json.errorDetails).toMatch(/^the request body is not valid JSON: .*JSON/);
  });

  it("fails with PARSE_ERROR when the client goes away mid-body", async () => {
    outcomes.length = 0;
    const req = request(base, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "60" },
    });
    req.on("error", () => {});
    req.write('{"context": {');
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    await expect.poll(() => outcomes.length).toBe(1);
    expect(outcomes[0]).toMatchObject({
      status: 400,
      errorCode: "PARSE_ERROR",
      message: "the request was aborted before its body was complete",
    });
  });
});
