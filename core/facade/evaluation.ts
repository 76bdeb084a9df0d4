// Evaluating through the TypeScript API: context conversion, the 10-second result cache and
// usage counting around the one evaluate() every evaluator and SDK shares.
// A cached answer keeps the reason it was computed with (TARGETING_MATCH, SPLIT, ...):
// the reason explains the value, and within the TTL nothing this instance knows of has
// changed, so CACHED would hide that explanation without telling the caller anything new.
import { evaluate } from "../evaluate/evaluate.ts";
import { ErrorCode, Reason, type EvaluationResult } from "../evaluate/result.ts";
import type { JsonValue } from "../schema/index.ts";
import type { Analytics } from "./analytics.ts";
import { TtlCache, type Clock } from "./cache.ts";
import type { Definitions } from "./definitions.ts";
import { toFlagContext } from "./mapping.ts";

export const RESULT_TTL_MS = 10_000;

/** What evaluateFlagDetailed returns: the engine's result without its metadata. */
export type EvaluationDetails = Omit<EvaluationResult, "metadata">;

function cacheKey(environment: string, key: string, context: unknown, defaultValue: unknown): string | undefined {
  try {
    return JSON.stringify([environment, key, context ?? null, defaultValue ?? null]);
  } catch {
    return undefined; // e.g. a BigInt attribute: evaluate it, just do not cache it
  }
}

function details(result: EvaluationResult): EvaluationDetails {
  const out: EvaluationDetails = { key: result.key, value: result.value, reason: result.reason };
  if (result.variant !== undefined) out.variant = result.variant;
  if (result.errorCode !== undefined) out.errorCode = result.errorCode;
  if (result.errorMessage !== undefined) out.errorMessage = result.errorMessage;
  return out;
}

export class Evaluations {
  readonly #definitions: Definitions;
  readonly #analytics: Analytics;
  readonly #clock: Clock;
  readonly #cache: TtlCache<EvaluationResult>;

  constructor(definitions: Definitions, analytics: Analytics, clock: Clock, ttlMs = RESULT_TTL_MS) {
    this.#definitions = definitions;
    this.#analytics = analytics;
    this.#clock = clock;
    this.#cache = new TtlCache(ttlMs, clock);
  }

  invalidate(): void {
    this.#cache.clear();
  }

  async evaluate(
    environment: string,
    key: string,
    contextLike: unknown,
    defaultValue?: JsonValue,
  ): Promise<EvaluationDetails> {
    const context = toFlagContext(contextLike);
    const id = cacheKey(environment, key, context, defaultValue);
    let result = id === undefined ? undefined : this.#cache.get(id);
    if (result === undefined) {
      result = await this.#compute(environment, key, context, defaultValue);
      if (id !== undefined) this.#cache.set(id, result);
    }
    this.#analytics.record(result, environment, new Date(this.#clock()));
    return details(result);
  }

  async #compute(
    environment: string,
    key: string,
    context: unknown,
    defaultValue?: JsonValue,
  ): Promise<EvaluationResult> {
    const { snapshot, problems } = await this.#definitions.compiled(environment);
    const result = evaluate(snapshot, key, context, defaultValue === undefined ? {} : { defaultValue });
    if (result.errorCode !== ErrorCode.FLAG_NOT_FOUND) return result;
    // A stored flag that compile left out is not "not found": say why it cannot be served.
    const why = problems
      .filter((p) => p.kind === "FeatureFlag" && p.name === key)
      .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    if (why.length === 0) return result;
    return {
      key,
      value: defaultValue,
      reason: Reason.ERROR,
      errorCode: ErrorCode.GENERAL,
      errorMessage: `flag "${key}" cannot be served: ${why.join("; ")}`,
    };
  }
}
