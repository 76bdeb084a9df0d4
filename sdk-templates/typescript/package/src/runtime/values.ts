// One OFREP evaluation item turned into an OpenFeature resolution for the type the caller asked
// for. Reasons pass through as sent (custom ones such as PREREQUISITE_FAILED included), a whole
// number asked as a float is a number, and a mismatch answers the caller's default.
import { ERROR_CODES, type Failure } from "./transport.ts";

export type FlagKind = "boolean" | "string" | "number" | "object";

/** One flag of an OFREP answer: a success or an evaluation failure. */
export interface OfrepItem {
  key?: string;
  value?: unknown;
  variant?: string;
  reason?: string;
  metadata?: Record<string, string | number | boolean>;
  errorCode?: string;
  errorDetails?: string;
}

export interface Resolution<T> {
  value: T;
  variant?: string;
  reason?: string;
  flagMetadata?: Record<string, string | number | boolean>;
  errorCode?: Failure["errorCode"];
  errorMessage?: string;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function matchesKind(value: unknown, kind: FlagKind): boolean {
  if (kind === "object") return typeof value === "object" && value !== null;
  if (kind === "number") return typeof value === "number" && Number.isFinite(value);
  return typeof value === kind;
}

export function failed<T>(defaultValue: T, failure: Failure): Resolution<T> {
  return { value: defaultValue, reason: "ERROR", errorCode: failure.errorCode, errorMessage: failure.errorMessage };
}

export function resolveItem<T>(key: string, item: OfrepItem, kind: FlagKind, defaultValue: T): Resolution<T> {
  if (item.errorCode !== undefined) {
    const known = (ERROR_CODES as readonly string[]).includes(item.errorCode);
    const code = (known ? item.errorCode : "GENERAL") as Failure["errorCode"];
    return failed(defaultValue, { errorCode: code, errorMessage: item.errorDetails ?? item.errorCode });
  }
  if (!matchesKind(item.value, kind)) {
    return failed(defaultValue, {
      errorCode: "TYPE_MISMATCH",
      errorMessage: `flag "${key}" is a ${kindOf(item.value)}, not a ${kind}`,
    });
  }
  const resolution: Resolution<T> = { value: item.value as T };
  if (item.variant !== undefined) resolution.variant = item.variant;
  if (item.reason !== undefined) resolution.reason = item.reason;
  if (item.metadata !== undefined) resolution.flagMetadata = item.metadata;
  return resolution;
}

/** A closed string flag's value, or its default when the evaluator serves a value the SDK does not know. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
