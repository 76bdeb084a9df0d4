// Optional API authentication: static tokens, sent as `Authorization: Bearer <token>` or
// `X-API-Key: <token>` (the two schemes OFREP names). Tokens are compared as sha256 digests
// with timingSafeEqual, and every configured token is checked, so response time says nothing
// about how much of a token was right.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "./http/errors.ts";

export type AuthDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export class TokenAuthenticator {
  readonly #digests: Buffer[];

  constructor(tokens: readonly string[]) {
    const cleaned = tokens.map((t) => t.trim()).filter((t) => t.length > 0);
    if (cleaned.length === 0) throw new Error("auth needs at least one non-empty token");
    this.#digests = cleaned.map(digest);
  }

  check(headers: { authorization?: string | undefined; "x-api-key"?: string | string[] | undefined }): AuthDecision {
    const presented = presentedToken(headers);
    if (presented === undefined) {
      return {
        ok: false,
        status: 401,
        reason: "missing credentials: send Authorization: Bearer <token> or X-API-Key: <token>",
      };
    }
    const candidate = digest(presented);
    let match = false;
    for (const known of this.#digests) match = timingSafeEqual(candidate, known) || match;
    return match ? { ok: true } : { ok: false, status: 403, reason: "the token is not valid for this evaluator" };
  }
}

function presentedToken(headers: {
  authorization?: string | undefined;
  "x-api-key"?: string | string[] | undefined;
}): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return match?.[1]?.trim() || undefined;
  }
  const apiKey = headers["x-api-key"];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value?.trim() || undefined;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Tokens one per line; blank lines and lines starting with # are ignored. */
export async function readTokenFile(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
  if (tokens.length === 0) throw new Error(`auth token file ${file} holds no tokens (one per line)`);
  return tokens;
}

/**
 * Lets the request through (true), or answers it with 401 (and a Bearer challenge) or 403.
 * Shared by the express routes and the OFREP fast path so both authenticate identically.
 */
export function admit(authenticator: TokenAuthenticator, req: IncomingMessage, res: ServerResponse): boolean {
  const decision = authenticator.check(req.headers);
  if (decision.ok) return true;
  if (decision.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="vexil"');
  sendError(res, decision.status, decision.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", decision.reason);
  return false;
}
