import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TokenAuthenticator, readTokenFile } from "../../../evaluator/auth.ts";
import { bulkEtag, etagMatches } from "../../../evaluator/http/etag.ts";
import { exceedsDepth } from "../../../evaluator/http/request.ts";
import { parseByteSize } from "../../../evaluator/byte-size.ts";

describe("TokenAuthenticator", () => {
  const auth = new TokenAuthenticator(["alpha-token", "beta-token"]);

  it("accepts any configured token as Bearer or X-API-Key", () => {
    expect(auth.check({ authorization: "Bearer beta-token" })).toEqual({ ok: true });
    expect(auth.check({ authorization: "bearer   alpha-token " })).toEqual({ ok: true });
    expect(auth.check({ "x-api-key": "alpha-token" })).toEqual({ ok: true });
  });

  it("answers 401 without credentials and 403 with wrong ones", () => {
    expect(auth.check({})).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringMatching(/missing credentials/),
    });
    expect(auth.check({ authorization: "Basic dXNlcjpwdw==" })).toMatchObject({ status: 401 });
    expect(auth.check({ authorization: "Bearer alpha" })).toMatchObject({
      status: 403,
      reason: "the token is not valid for this evaluator",
    });
    expect(auth.check({ "x-api-key": "alpha-token-and-more" })).toMatchObject({ status: 403 });
  });

  it("refuses an empty token list", () => {
    expect(() => new TokenAuthenticator(["", "  "])).toThrow("auth needs at least one non-empty token");
  });

  it("reads tokens one per line, skipping blanks and comments", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "vexil-auth-"));
    await writeFile(path.join(dir, "tokens"), "# ci\nfirst\n\n  second  \r\n");
    expect(await readTokenFile(path.join(dir, "tokens"))).toEqual(["first", "second"]);
    await writeFile(path.join(dir, "empty"), "# nothing\n\n");
    await expect(readTokenFile(path.join(dir, "empty"))).rejects.toThrow(/holds no tokens/);
  });
});

describe("HTTP helpers", () => {
  it("bulk ETags differ by context and by snapshot, not by key order", () => {
    const a = bulkEtag("h1", { targetingKey: "u1", country: "FR" });
    expect(bulkEtag("h1", { country: "FR", targetingKey: "u1" })).toBe(a);
    expect(bulkEtag("h1", { targetingKey: "u2", country: "FR" })).not.toBe(a);
    expect(bulkEtag("h2", { targetingKey: "u1", country: "FR" })).not.toBe(a);
  });

  it("matches If-None-Match lists, weak tags and *", () => {
    expect(etagMatches('"x", W/"y"', '"y"')).toBe(true);
    expect(etagMatches("*", '"y"')).toBe(true);
    expect(etagMatches('"x"', '"y"')).toBe(false);
    expect(etagMatches(undefined, '"y"')).toBe(false);
  });

  it("measures nesting depth without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(exceedsDepth(deep, 32)).toBe(true);
    expect(exceedsDepth({ a: { b: [1, 2, { c: 3 }] } }, 32)).toBe(false);
  });

  it("parses --max-body sizes", () => {
    expect(parseByteSize("1mb")).toBe(1024 * 1024);
    expect(parseByteSize("64KB")).toBe(65536);
    expect(parseByteSize("100")).toBe(100);
    expect(() => parseByteSize("lots")).toThrow('expected a size such as 1mb, 512kb or 65536, got "lots"');
  });
});
