// Reading evaluation requests safely: JSON only, bounded size (body-parser), bounded depth
// (checked iteratively, before anything recursive touches the body), and an evaluation
// context that is a plain JSON object. JSON.parse makes "__proto__" an own property and
// nothing here merges objects, so prototype-polluting bodies are just odd attribute names.
import express, { type RequestHandler } from "express";
import { HttpError } from "./errors.ts";

export const MAX_CONTEXT_DEPTH = 32;
const JSON_TYPES = ["application/json", "application/*+json"];

/** Content-type check (415) then the JSON parser (413 / 400 PARSE_ERROR through the error handler). */
export function jsonBody(maxBodyBytes: number): RequestHandler {
  const parse = express.json({ limit: maxBodyBytes, strict: true, type: JSON_TYPES });
  return (req, res, next) => {
    // a request without a body is fine (no context); a body must say it is JSON
    const empty = req.headers["content-length"] === "0";
    if (!empty && req.is(JSON_TYPES) === false) {
      const type = req.headers["content-type"] ?? "none";
      next(new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send the body as application/json, not ${type}`));
      return;
    }
    parse(req, res, next);
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Depth of nested objects/arrays, without recursion (a 500 000-deep array must not overflow the stack). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The evaluation context of an OFREP or native request body `{context: {...}}`.
 * No body, or a body without `context`, is the empty context.
 */
export function readContext(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isPlainObject(body)) {
    throw new HttpError(400, "INVALID_CONTEXT", 'the request body must be a JSON object such as {"context": {"targetingKey": "user-1"}}');
  }
  if (!Object.hasOwn(body, "context") || body.context === undefined) return {};
  const context = body.context;
  if (!isPlainObject(context)) {
    throw new HttpError(400, "INVALID_CONTEXT", `context must be a JSON object, not ${describeJsonType(context)}`);
  }
  if (exceedsDepth(context, MAX_CONTEXT_DEPTH)) {
    throw new HttpError(400, "INVALID_CONTEXT", `context is nested deeper than ${MAX_CONTEXT_DEPTH} levels`);
  }
  return context;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
