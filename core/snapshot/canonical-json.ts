// Canonical JSON: object keys sorted at every level, undefined members dropped, no whitespace.
// Two processes that hold the same data produce the same bytes, so hashes and ETags agree
// across compile, the operator, evaluators and restarts. The one implementation for all of them.
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => canonicalize(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value.toISOString() as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    // defineProperty, not assignment: a JSON variant value or a client's context may carry a
    // "__proto__" key, which must stay a plain key instead of replacing the object's prototype.
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
