// Canonical JSON: object keys sorted, undefined dropped. The same snapshot content therefore
// always serialises to the same bytes, which is what makes its hash a usable version and ETag.
import { createHash } from "node:crypto";

export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    // defineProperty, not assignment: a JSON variant value may carry a "__proto__" key, which
    // must stay a plain key instead of replacing the object's prototype.
    if (item !== undefined) {
      Object.defineProperty(out, key, {
        value: canonicalize(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out as T;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
