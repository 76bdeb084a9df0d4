// The zod → structural schema conversion on small schemas, including what it must refuse.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodToJsonSchema, type JsonSchema } from "../../../scripts/generate/json-schema.ts";
import { toStructural, type StructuralOptions } from "../../../scripts/generate/structural.ts";

function convert(schema: z.ZodType, extra: Partial<StructuralOptions> = {}): JsonSchema {
  const json = zodToJsonSchema(schema);
  return toStructural(json, "", {
    defs: (json.$defs ?? {}) as Record<string, JsonSchema>,
    describe: () => undefined,
    rules: () => [],
    ...extra,
  });
}

describe("toStructural", () => {
  it("turns a string|number union into int-or-string with the string's maxLength", () => {
    expect(convert(z.union([z.string().max(10), z.number()]))).toEqual({
      "x-kubernetes-int-or-string": true,
      maxLength: 10,
    });
  });

  it("refuses a union Kubernetes cannot express, naming the path", () => {
    expect(() => convert(z.object({ spec: z.object({ x: z.union([z.string(), z.boolean()]) }) }))).toThrow(
      "spec.x: union of string|boolean has no structural form",
    );
  });

  it("keeps a recursive JSON value open instead of inlining it forever", () => {
    type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
    const json: z.ZodType<Json> = z.lazy(() =>
      z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
    );
    const out = convert(z.object({ value: json.describe("any") }));
    expect(out.properties).toEqual({
      value: { description: "any", nullable: true, "x-kubernetes-preserve-unknown-fields": true },
    });
  });

  it("drops additionalProperties:false (strict objects are pruned by the API server) and keeps required", () => {
    const out = convert(z.object({ a: z.string(), b: z.number().optional() }).strict());
    expect(out).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "number" } },
      required: ["a"],
    });
  });

  it("marks loose objects to preserve unknown fields", () => {
    expect(convert(z.object({ a: z.string() }).loose())["x-kubernetes-preserve-unknown-fields"]).toBe(true);
  });

  it("turns a record into additionalProperties, with a CEL rule for its key pattern and the map limit", () => {
    const out = convert(
      z.object({
        m: z.record(
          z
            .string()
            .max(5)
            .regex(/^[a-z]+$/),
          z.boolean(),
        ),
      }),
      { mapLimits: { m: 3 } },
    );
    expect(out.properties).toEqual({
      m: {
        type: "object",
        additionalProperties: { type: "boolean" },
        maxProperties: 3,
        "x-kubernetes-validations": [
          {
            rule: "self.all(k, size(k) <= 5 && k.matches(r'^[a-z]+$'))",
            message: "keys of m must be names of at most 5 characters, matching ^[a-z]+$",
          },
        ],
      },
    });
  });

  it("drops zod's safe-integer bounds, keeps real ones, and writes exclusive bounds the OpenAPI v3 way", () => {
    expect(convert(z.number().int())).toEqual({ type: "integer" });
    expect(convert(z.number().int().min(1).max(5))).toEqual({ type: "integer", minimum: 1, maximum: 5 });
    expect(convert(z.number().positive())).toEqual({ type: "number", minimum: 0, exclusiveMinimum: true });
  });

  it("writes timestamps as format date-time without zod's long pattern", () => {
    expect(convert(z.iso.datetime({ offset: true }))).toEqual({ type: "string", format: "date-time" });
  });

  it("turns a tuple into a fixed-length list", () => {
    expect(convert(z.tuple([z.number(), z.number()]))).toEqual({
      type: "array",
      items: { type: "number" },
      minItems: 2,
      maxItems: 2,
    });
  });

  it("refuses a pattern Go's RE2 cannot compile", () => {
    expect(() => convert(z.object({ s: z.string().regex(/^(a)\1$/) }))).toThrow(/s: pattern .* is not RE2/);
  });

  it("adds descriptions and rules by path, after the zod description", () => {
    const out = convert(z.object({ a: z.string().describe("from zod"), b: z.string() }), {
      describe: (path) => `fallback for ${path}`,
      rules: (path) => (path === "b" ? [{ rule: "size(self) > 0", message: "b must not be empty" }] : []),
    });
    expect(out.properties).toEqual({
      a: { description: "from zod", type: "string" },
      b: {
        description: "fallback for b",
        type: "string",
        "x-kubernetes-validations": [{ rule: "size(self) > 0", message: "b must not be empty" }],
      },
    });
  });
});
