// Local evaluation: each flag is evaluated in process by Vexil's own engine (core/evaluate, shipped
// in ../engine) on the snapshot in force, and the result is read exactly as an OFREP answer is
// (values.ts), so local and remote modes answer alike. An experiment flag served here is an
// exposure the evaluator did not see: it is queued for POST /v1/events with the tracked events.
import type { EvaluationContext } from "@openfeature/server-sdk";
import { evaluate } from "../engine/evaluate/evaluate.ts";
import type { EvaluationResult } from "../engine/evaluate/result.ts";
import type { Snapshot } from "../engine/snapshot/snapshot.ts";
import type { TrackedEvent } from "./tracking.ts";
import { failed, resolveItem, type FlagKind, type OfrepItem, type Resolution } from "./values.ts";

/**
 * Dates as the evaluator receives them over OFREP (ISO strings), so both modes compare the same text.
 * fromEntries defines each attribute (an attribute named __proto__ stays an attribute).
 */
function contextJson(context: EvaluationContext): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(context).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value]),
  );
}

function itemOf(result: EvaluationResult): OfrepItem {
  if (result.errorCode !== undefined) return { errorCode: result.errorCode, errorDetails: result.errorMessage ?? "" };
  const item: OfrepItem = { key: result.key, value: result.value, reason: result.reason };
  if (result.variant !== undefined) item.variant = result.variant;
  if (result.metadata !== undefined) item.metadata = result.metadata;
  return item;
}

/** The exposure to report for a result served by a running experiment, if it is one. */
export function exposureOf(result: EvaluationResult, context: EvaluationContext): TrackedEvent | undefined {
  const experiment = result.metadata?.["experiment"];
  const targetingKey = context.targetingKey;
  if (typeof experiment !== "string" || result.variant === undefined) return undefined;
  if (typeof targetingKey !== "string" || targetingKey === "") return undefined; // the evaluator needs a user
  return {
    type: "exposure",
    flag: result.key,
    experiment,
    variant: result.variant,
    targetingKey,
    timestamp: new Date().toISOString(),
  };
}

/** Evaluates on `snapshot`; never throws (no snapshot yet: PROVIDER_NOT_READY). */
export function resolveLocally<T>(
  snapshot: Snapshot | undefined,
  key: string,
  kind: FlagKind,
  defaultValue: T,
  context: EvaluationContext,
  onExposure: (event: TrackedEvent) => void,
): Resolution<T> {
  if (snapshot === undefined) {
    return failed(defaultValue, { errorCode: "PROVIDER_NOT_READY", errorMessage: "no snapshot is loaded yet" });
  }
  try {
    const result = evaluate(snapshot, key, contextJson(context));
    const exposure = exposureOf(result, context);
    if (exposure !== undefined) onExposure(exposure);
    return resolveItem(key, itemOf(result), kind, defaultValue);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(defaultValue, { errorCode: "GENERAL", errorMessage: `local evaluation failed: ${message}` });
  }
}
