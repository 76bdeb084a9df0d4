// The one place the HTTP layer calls the engine: times each evaluation and counts it by flag,
// variant and reason. Unknown keys are counted under flag="" to keep label cardinality bounded.
import { performance } from "node:perf_hooks";
import { evaluate } from "../core/evaluate/evaluate.ts";
import type { EvaluateOptions, EvaluationResult } from "../core/evaluate/result.ts";
import type { Snapshot } from "../core/snapshot.ts";
import type { EvaluatorMetrics } from "./metrics.ts";

export class FlagEvaluator {
  readonly #metrics: EvaluatorMetrics;

  constructor(metrics: EvaluatorMetrics) {
    this.#metrics = metrics;
  }

  one(snapshot: Snapshot, key: string, context: unknown, options?: EvaluateOptions): EvaluationResult {
    const started = performance.now();
    const result = evaluate(snapshot, key, context, options);
    this.#metrics.evaluationDuration.observe((performance.now() - started) / 1000);
    this.#metrics.countEvaluation(Object.hasOwn(snapshot.flags, key) ? key : "", result.variant ?? "", result.reason);
    return result;
  }

  /** Every flag of the snapshot, in key order. */
  all(snapshot: Snapshot, context: unknown): EvaluationResult[] {
    return Object.keys(snapshot.flags)
      .sort()
      .map((key) => this.one(snapshot, key, context));
  }
}
