// Strict readers for typed comparisons. Each accepts one documented spelling so that every
// SDK reads the same strings the same way (no locale-dependent or lenient parsing).
import semver from "semver";
import type { SemVer } from "semver";

// Decimal numbers: optional sign, digits with optional fraction, optional exponent.
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// ISO 8601 / RFC 3339: a date (midnight UTC), or a date-time that states its offset.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A finite number, or a numeric string; NaN for anything else. */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return Number.NaN;
}

/** Epoch milliseconds of a Date, an epoch-millis number or an ISO date string; NaN otherwise. */
export function toEpochMillis(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string") return Number.NaN;
  if (ISO_DATE.test(value)) return Date.parse(`${value}T00:00:00Z`);
  return ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
}

// Attribute versions repeat (app versions), so parsed ones are cached; bounded, then reset.
const SEMVER_CACHE_LIMIT = 1024;
const semverCache = new Map<string, SemVer | null>();

/** A semantic version (a leading "v" is accepted), or null when the value is not one. */
export function toSemver(value: unknown): SemVer | null {
  if (typeof value !== "string") return null;
  const cached = semverCache.get(value);
  if (cached !== undefined) return cached;
  const parsed = value.length <= 256 ? semver.parse(value) : null;
  if (semverCache.size >= SEMVER_CACHE_LIMIT) semverCache.clear();
  semverCache.set(value, parsed);
  return parsed;
}
