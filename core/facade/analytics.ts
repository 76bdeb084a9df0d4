// Usage counts per flag: how often it was evaluated, which variants were served and why.
// Kept in memory per instance (shared with withEnvironment views); cached answers count too,
// because the application did ask.
import type { EvaluationResult } from "../evaluate/result.ts";
import { toFlagAnalytics, type UsageLedger } from "./usage.ts";

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
  readonly #ledger: UsageLedger | undefined;
  readonly #namespace: string;

  constructor(ledger?: UsageLedger, namespace = "default") {
    this.#ledger = ledger;
    this.#namespace = namespace;
  }

  get ledger(): UsageLedger | undefined {
    return this.#ledger;
  }

  record(result: EvaluationResult, environment: string, at: Date): void {
    this.#ledger?.record(this.#namespace, result.key, result.variant ?? "", result.reason, environment, at.getTime());
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

  /** From the ledger when there is one (durable, every process), else this instance's counts. */
  async durable(flagKey?: string): Promise<FlagAnalytics | Record<string, FlagAnalytics>> {
    if (this.#ledger === undefined) return flagKey === undefined ? this.all() : this.forFlag(flagKey);
    const usage = await this.#ledger.read(this.#namespace, 0);
    const errors = (key: string) => this.forFlag(key).errors;
    if (flagKey !== undefined)
      return toFlagAnalytics(
        usage.find((u) => u.flag === flagKey),
        flagKey,
        errors(flagKey),
      );
    const sorted = [...usage].sort((a, b) => (a.flag < b.flag ? -1 : 1));
    return Object.fromEntries(sorted.map((u) => [u.flag, toFlagAnalytics(u, u.flag, errors(u.flag))]));
  }

  /** counts for every flag evaluated so far, by key */
  all(): Record<string, FlagAnalytics> {
    return Object.fromEntries([...this.#flags.keys()].sort().map((key) => [key, this.forFlag(key)]));
  }
}
