// Usage counts per flag: how often it was evaluated, which variants were served and why.
// Kept in memory per instance (shared with withEnvironment views); cached answers count too,
// because the application did ask.
import type { EvaluationResult } from "../evaluate/result.ts";

export interface FlagAnalytics {
  flagKey: string;
  evaluations: number;
  variants: Record<string, number>;
  reasons: Record<string, number>;
  errors: Record<string, number>;
  environments: Record<string, number>;
  firstEvaluated?: string;
  lastEvaluated?: string;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class Analytics {
  readonly #flags = new Map<string, FlagAnalytics>();

  record(result: EvaluationResult, environment: string, at: Date): void {
    let stats = this.#flags.get(result.key);
    if (stats === undefined) {
      stats = { flagKey: result.key, evaluations: 0, variants: {}, reasons: {}, errors: {}, environments: {} };
      stats.firstEvaluated = at.toISOString();
      this.#flags.set(result.key, stats);
    }
    stats.evaluations += 1;
    stats.lastEvaluated = at.toISOString();
    bump(stats.reasons, result.reason);
    bump(stats.environments, environment);
    if (result.variant !== undefined) bump(stats.variants, result.variant);
    if (result.errorCode !== undefined) bump(stats.errors, result.errorCode);
  }

  /** counts for one flag (zeros when never evaluated) */
  forFlag(flagKey: string): FlagAnalytics {
    const stats = this.#flags.get(flagKey);
    if (stats !== undefined) return structuredClone(stats);
    return { flagKey, evaluations: 0, variants: {}, reasons: {}, errors: {}, environments: {} };
  }

  /** counts for every flag evaluated so far, by key */
  all(): Record<string, FlagAnalytics> {
    return Object.fromEntries([...this.#flags.keys()].sort().map((key) => [key, this.forFlag(key)]));
  }
}
