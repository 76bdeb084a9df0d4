// Timing and allocation of one call over rotating contexts. Results are stored into a small
// array so they escape: V8 can neither drop the call nor scalar-replace the result object,
// exactly as when an application uses what it got back.
import { getHeapStatistics } from "node:v8";

export interface Timing {
  /** median over rounds of nanoseconds per evaluation */
  nsPerEval: number;
  /** every round's ns per evaluation, for spread */
  rounds: number[];
  iterationsPerRound: number;
}

export interface MeasureOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
}

const sink: unknown[] = new Array<unknown>(8).fill(undefined);

function loop(run: (context: unknown) => unknown, contexts: readonly unknown[], iterations: number): bigint {
  const count = contexts.length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink[i & 7] = run(contexts[i % count]);
  return process.hrtime.bigint() - start;
}

const gc = (globalThis as { gc?: () => void }).gc;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Iterations that take about `ms`, found by doubling (this also warms the call up). */
function calibrate(run: (context: unknown) => unknown, contexts: readonly unknown[], ms: number): number {
  let iterations = 1000;
  for (;;) {
    const ns = Number(loop(run, contexts, iterations));
    if (ns >= (ms * 1e6) / 4 || iterations >= 1 << 28) return Math.max(1000, Math.round((iterations * ms * 1e6) / ns));
    iterations *= 2;
  }
}

export function measureTime(
  run: (context: unknown) => unknown,
  contexts: readonly unknown[],
  options: MeasureOptions,
): Timing {
  const warmupEnd = performance.now() + options.warmupMs;
  let iterations = calibrate(run, contexts, options.roundMs);
  while (performance.now() < warmupEnd) loop(run, contexts, iterations);
  iterations = calibrate(run, contexts, options.roundMs);
  const rounds: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    gc?.();
    rounds.push(Number(loop(run, contexts, iterations)) / iterations);
  }
  return { nsPerEval: median(rounds), rounds, iterationsPerRound: iterations };
}

/**
 * Bytes allocated per evaluation (V8's total_allocated_bytes), the least of a few runs: the
 * least is the call's own allocation, free of the odd background allocation.
 */
export function measureAllocation(
  run: (context: unknown) => unknown,
  contexts: readonly unknown[],
  iterations = 50_000,
): number {
  let least = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const before = getHeapStatistics().total_allocated_bytes;
    loop(run, contexts, iterations);
    const after = getHeapStatistics().total_allocated_bytes;
    least = Math.min(least, (after - before) / iterations);
  }
  return least;
}

/**
 * The allocation of a bare result object of the richest successful shape ({key, value, variant,
 * reason, metadata}, every field pre-existing): the yardstick of "nothing beyond the result".
 */
export function resultObjectBytes(contexts: readonly unknown[]): number {
  const reasons = ["STATIC", "SPLIT"];
  const metadata = Object.freeze({ rule: "r" });
  let n = 0;
  const bare = (context: unknown) => ({
    key: "flag",
    value: context !== undefined,
    variant: "on",
    reason: reasons[n++ & 1],
    metadata,
  });
  measureTime(bare, contexts, { warmupMs: 100, roundMs: 20, rounds: 1 });
  return measureAllocation(bare, contexts);
}
