// Reading evaluation requests safely: JSON only, bounded size (./body.ts), bounded depth
// (checked iteratively, before anything recursive touches the body), and an evaluation
// context that is a plain JSON object. JSON.parse makes "__proto__" an own property and
// nothing here merges objects, so prototype-polluting bodies are just odd attribute names.
import type { RequestHandler } from "express";
import { readJsonBody } from "./body.ts";
import { HttpError } from "./errors.ts";

export const MAX_CONTEXT_DEPTH = 32;

/** Express middleware: `req.body` is the parsed JSON body (undefined without one); 415/413/400 go to the error handler. */
export function jsonBody(maxBodyBytes: number): RequestHandler {
  return (req, _res, next) => {
    readJsonBody(req, maxBodyBytes).then((body: unknown) => {
      req.body = body;
      next();
    }, next);
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Depth of nested objects/arrays, without recursion (a 500 000-deep array must not overflow the stack). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  // two parallel stacks and only containers pushed: a flat context allocates nothing but these
  const nodes: object[] = [];
  const depths: number[] = [];
  if (typeof value === "object" && value !== null) {
    nodes.push(value);
    depths.push(0);
  }
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) {
      if (typeof child !== "object" || child === null) continue;
      nodes.push(child as object);
      depths.push(depth + 1);
    }
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
    throw new HttpError(
      400,
      "INVALID_CONTEXT",
      'the request body must be a JSON object such as {"context": {"targetingKey": "user-1"}}',
    );
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
