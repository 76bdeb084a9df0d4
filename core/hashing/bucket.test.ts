// saltedBucket hashes ASCII values straight from their char codes and falls back to UTF-8
// encoding at the first other char; both must give exactly the bucket of the reference path
// (`bucket`: salt + ":" + value encoded into bytes, then hashed).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucket, saltedBucket, saltState } from "./bucket.ts";
import { murmur3x86 } from "./murmur3.ts";

const asciiChar = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
// Boundaries of each UTF-8 length, a surrogate pair (emoji) and both kinds of lone surrogate.
const otherChar = fc.constantFrom("\u0080", "é", "\u07ff", "\u0800", "€", "\uffff", "😀", "\ud83d", "\ude00");
/** Mostly ASCII, so the non-ASCII char lands at every offset and block alignment. */
const mostlyAscii = fc
  .array(fc.oneof({ arbitrary: asciiChar, weight: 8 }, { arbitrary: otherChar, weight: 1 }), { maxLength: 40 })
  .map((chars) => chars.join(""));

describe("saltedBucket", () => {
  it("equals the reference bucket for ASCII and non-ASCII values under salts of every block alignment", () => {
    fc.assert(
      fc.property(fc.oneof(mostlyAscii, fc.string({ unit: "binary" })), mostlyAscii, (salt, value) => {
        expect(saltedBucket(saltState(salt), value)).toBe(bucket(salt, value));
      }),
      { numRuns: 2000 },
    );
  });

  it("equals murmur3 of the TextEncoder bytes for every value length and salt carry", () => {
    for (const salt of ["", "a", "ab", "abc", "flag-key", "rollout-25"]) {
      const salted = saltState(salt);
      for (let length = 0; length <= 12; length++) {
        for (const value of [
          "u".repeat(length),
          "é".repeat(length),
          `${"x".repeat(length)}😀`,
          `😀${"y".repeat(length)}`,
        ]) {
          const bytes = new TextEncoder().encode(`${salt}:${value}`);
          expect(saltedBucket(salted, value)).toBe(murmur3x86(bytes) % 100_000);
        }
      }
    }
  });

  it("hashes a lone surrogate after ASCII chars as U+FFFD", () => {
    const salted = saltState("flag");
    expect(saltedBucket(salted, "user-1\ud800")).toBe(saltedBucket(salted, "user-1\ufffd"));
    expect(saltedBucket(salted, "user-1\udc00x")).toBe(bucket("flag", "user-1\ufffdx"));
  });
});
