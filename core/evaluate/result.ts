// The closed vocabulary of evaluation outcomes (OpenFeature reasons and error codes).
import type { JsonValue } from "../schema/primitives.ts";

export const Reason = {
  STATIC: "STATIC",
  DEFAULT: "DEFAULT",
  TARGETING_MATCH: "TARGETING_MATCH",
  SPLIT: "SPLIT",
  DISABLED: "DISABLED",
  PREREQUISITE_FAILED: "PREREQUISITE_FAILED",
  CACHED: "CACHED",
  UNKNOWN: "UNKNOWN",
  STALE: "STALE",
  ERROR: "ERROR",
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const ErrorCode = {
  PROVIDER_NOT_READY: "PROVIDER_NOT_READY",
  FLAG_NOT_FOUND: "FLAG_NOT_FOUND",
  PARSE_ERROR: "PARSE_ERROR",
  TYPE_MISMATCH: "TYPE_MISMATCH",
  TARGETING_KEY_MISSING: "TARGETING_KEY_MISSING",
  INVALID_CONTEXT: "INVALID_CONTEXT",
  PROVIDER_FATAL: "PROVIDER_FATAL",
  GENERAL: "GENERAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Flat OpenFeature evaluation context; `targetingKey` is the user id. */
export type EvaluationContextValue = JsonValue | Date | undefined;
export interface FlagContext {
  targetingKey?: string;
  [attribute: string]: EvaluationContextValue;
}

export interface EvaluationResult {
  key: string;
  /** the served value, or the caller's default on error (undefined when none given) */
  value: JsonValue | undefined;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  metadata?: Record<string, string | number | boolean>;
}

export interface EvaluateOptions {
  /** returned as value on error */
  defaultValue?: JsonValue;
  /** the caller's expected type: a different flag type gives TYPE_MISMATCH */
  expectedType?: "boolean" | "string" | "number" | "object";
}
