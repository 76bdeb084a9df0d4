// The one place the HTTP layer calls the engine: times each evaluation and counts it by flag,
// variant and reason. Unknown keys are counted under flag="" to keep label cardinality bounded.
import { performance } from "node:perf_hooks";
import { evaluate } from "../core/evaluate/evaluate.ts";
import type { EvaluateOptions, EvaluationResult } from "../core/evaluate/result.ts";
import type { Snapshot } from "../core/snapshot/snapshot.ts";
import type { EvaluatorMetrics } from "./metrics.ts";

/** Sees every evaluation after it is made (exposure recording); must not throw. */
export type EvaluationObserver = (snapshot: Snapshot, key: string, context: unknown, result: EvaluationResult) => void;

export class FlagEvaluator {
  readonly #metrics: EvaluatorMetrics;
  readonly #observe: EvaluationObserver | undefined;

  constructor(metrics: EvaluatorMetrics, observe?: EvaluationObserver) {
    this.#metrics = metrics;
    this.#observe = observe;
  }

  one(snapshot: Snapshot, key: string, context: unknown, options?: EvaluateOptions): EvaluationResult {
    const started = performance.now();
    const result = evaluate(snapshot, key, context, options);
    this.#metrics.evaluationDuration.observe((performance.now() - started) / 1000);
    const known = Object.hasOwn(snapshot.flags, key);
    this.#metrics.countEvaluation(known ? key : "", result.variant ?? "", result.reason);
    if (known && this.#observe !== undefined) this.#observe(snapshot, key, context, result);
    return result;
  }

  /** Every flag of the snapshot, in key order. */
  all(snapshot: Snapshot, context: unknown): EvaluationResult[] {
    return Object.keys(snapshot.flags)
      .sort()
      .map((key) => this.one(snapshot, key, context));
  }
}
