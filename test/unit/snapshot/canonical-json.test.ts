// The one canonical JSON: compile's snapshot hash, the operator's status and served-change
// comparisons and the evaluator's bulk ETags all depend on these properties.
import { describe, expect, it } from "vitest";
import { canonicalize, canonicalJson } from "../../../core/snapshot/canonical-json.ts";
import { sha256Hex, snapshotHash } from "../../../core/snapshot/hash.ts";

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps a "__proto__" key as data instead of setting a prototype', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const result = canonicalize(parsed);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(["__proto__", "b"]);
    expect((result as { polluted?: unknown }).polluted).toBeUndefined();
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"b":1}');
  });

  it("drops undefined members, writes null for undefined array items, and dates as ISO strings", () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
    expect(canonicalJson({ at: new Date("2030-01-02T03:04:05Z") })).toBe('{"at":"2030-01-02T03:04:05.000Z"}');
  });

  it("gives the same bytes for the same data in any key order", () => {
    expect(canonicalJson({ x: 1, y: { q: [1, 2], p: "s" } })).toBe(canonicalJson({ y: { p: "s", q: [1, 2] }, x: 1 }));
  });
});

describe("snapshot hash", () => {
  it("is sha256 (hex) of the canonical JSON of schema version, namespace, environment and flags", () => {
    const body = { schemaVersion: 1 as const, namespace: "shop", environment: "production", flags: {} };
    expect(snapshotHash(body)).toBe(
      sha256Hex('{"environment":"production","flags":{},"namespace":"shop","schemaVersion":1}'),
    );
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
