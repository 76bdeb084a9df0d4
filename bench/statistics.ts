// Statistics benchmark: the analysis of 1 million users × 3 variants (goal: under 2 s).
//   node bench/statistics.ts [--quick] [--users N] [--rounds N] [--output json]
// Two honest halves: (1) aggregation — per-user totals held in memory (typed arrays, as a store
// cursor would stream them) reduced to the per-variant sums core/statistics takes; (2) analysis —
// analyzeExperiment on those sums. The SQL side of aggregation is measured by the event-store
// benchmark. A third figure is the largest spec the schema allows (20 variants × 20 metrics).
import { performance } from "node:perf_hooks";
import type { ExperimentSpec } from "../core/schema/index.ts";
import { analyzeExperiment, type ExperimentAggregates, type MetricVariantAggregate } from "../core/statistics/index.ts";
import { describeMachine, machineInfo } from "./machine.ts";
import { parseBenchArgs, runMain, wantsJson } from "./options.ts";
import { markdownTable, writeResults } from "./report.ts";

/** Per-user totals of one experiment: variant index, conversion flag and a numeric value. */
interface Users {
  variant: Uint8Array;
  converted: Uint8Array;
  revenue: Float64Array;
}

const VARIANTS = ["control", "a", "b"];
const RATES = [0.1, 0.104, 0.1];

/** Deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeUsers(count: number): Users {
  const next = random(42);
  const users = { variant: new Uint8Array(count), converted: new Uint8Array(count), revenue: new Float64Array(count) };
  for (let i = 0; i < count; i++) {
    const v = Math.floor(next() * VARIANTS.length);
    users.variant[i] = v;
    if (next() < RATES[v]!) {
      users.converted[i] = 1;
      users.revenue[i] = -Math.log(1 - next()) * 40; // exponential order values, mean 40
    }
  }
  return users;
}

/** One pass over the users: exposures, conversions, Σ and Σ² per variant for both metrics. */
function aggregate(users: Users): ExperimentAggregates {
  const k = VARIANTS.length;
  const exposures = new Float64Array(k);
  const conversions = new Float64Array(k);
  const sum = new Float64Array(k);
  const squares = new Float64Array(k);
  const { variant, converted, revenue } = users;
  for (let i = 0; i < variant.length; i++) {
    const v = variant[i]!;
    exposures[v]! += 1;
    if (converted[i] === 1) {
      conversions[v]! += 1;
      sum[v]! += revenue[i]!;
      squares[v]! += revenue[i]! * revenue[i]!;
    }
  }
  const rows = (numeric: boolean): MetricVariantAggregate[] =>
    VARIANTS.map((name, v) => ({
      variant: name,
      exposures: exposures[v]!,
      conversions: conversions[v]!,
      sum: numeric ? sum[v]! : conversions[v]!,
      sumOfSquares: numeric ? squares[v]! : conversions[v]!,
    }));
  return {
    exposuresByVariant: Object.fromEntries(VARIANTS.map((name, v) => [name, exposures[v]!])),
    metrics: { purchase: rows(false), revenue: rows(true) },
  };
}

/** Raw events as a store would hold them: every user's exposures (some repeated) and order events. */
interface Events {
  exposureUser: string[];
  exposureVariant: Uint8Array;
  orderUser: string[];
  orderValue: Float64Array;
}

function makeEvents(users: Users): Events {
  const next = random(7);
  const exposureUser: string[] = [];
  const variants: number[] = [];
  const orderUser: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < users.variant.length; i++) {
    const key = `user-${i}`;
    const repeats = next() < 0.3 ? 2 : 1; // a user seen twice is still one exposure
    for (let r = 0; r < repeats; r++) {
      exposureUser.push(key);
      variants.push(users.variant[i]!);
    }
    if (users.converted[i] === 1) {
      orderUser.push(key);
      values.push(users.revenue[i]!);
    }
  }
  return { exposureUser, exposureVariant: Uint8Array.from(variants), orderUser, orderValue: Float64Array.from(values) };
}

/** Unique users from raw events: a Map keyed by targeting key, then the same reduction as aggregate(). */
function aggregateEvents(events: Events): ExperimentAggregates {
  const index = new Map<string, number>();
  const variant: number[] = [];
  for (let i = 0; i < events.exposureUser.length; i++) {
    const key = events.exposureUser[i]!;
    if (!index.has(key)) {
      index.set(key, variant.length);
      variant.push(events.exposureVariant[i]!);
    }
  }
  const users: Users = {
    variant: Uint8Array.from(variant),
    converted: new Uint8Array(variant.length),
    revenue: new Float64Array(variant.length),
  };
  for (let i = 0; i < events.orderUser.length; i++) {
    const u = index.get(events.orderUser[i]!);
    if (u === undefined) continue; // events of users never exposed do not count
    users.converted[u] = 1;
    users.revenue[u]! += events.orderValue[i]!;
  }
  return aggregate(users);
}

const spec: ExperimentSpec = {
  flag: "checkout",
  environment: "production",
  variants: VARIANTS.map((variant) => ({ variant, weight: 1 })),
  control: "control",
  traffic: 100,
  metrics: [
    { name: "purchase", event: "purchase", type: "conversion", goal: "increase" },
    { name: "revenue", event: "order", type: "numeric", goal: "increase" },
  ],
  minimumSamples: 150,
};

/** The schema's maximum: 20 variants × 20 metrics (half conversion, half numeric), 50 000 users each. */
function largestCase(): { spec: ExperimentSpec; aggregates: ExperimentAggregates } {
  const variants = Array.from({ length: 20 }, (_, i) => ({ variant: `v${i}`, weight: 1 }));
  const metrics = Array.from({ length: 20 }, (_, i) => ({
    name: `m${i}`,
    event: `e${i}`,
    type: i % 2 === 0 ? ("conversion" as const) : ("numeric" as const),
    goal: "increase" as const,
  }));
  const row = (variant: string, i: number, numeric: boolean): MetricVariantAggregate => {
    const conversions = 5000 + i * 7;
    return numeric
      ? { variant, exposures: 50000, conversions, sum: conversions * 40, sumOfSquares: conversions * 3200 }
      : { variant, exposures: 50000, conversions, sum: conversions, sumOfSquares: conversions };
  };
  return {
    spec: { ...spec, variants, control: "v0", metrics },
    aggregates: {
      exposuresByVariant: Object.fromEntries(variants.map((v) => [v.variant, 50000])),
      metrics: Object.fromEntries(
        metrics.map((m) => [m.name, variants.map((v, i) => row(v.variant, i, m.type === "numeric"))]),
      ),
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time<T>(rounds: number, run: () => T): { ms: number; result: T } {
  let result = run(); // warm-up round, not timed
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    result = run();
    samples.push(performance.now() - start);
  }
  return { ms: median(samples), result };
}

async function main(): Promise<boolean> {
  const values = parseBenchArgs(process.argv.slice(2));
  const json = wantsJson(values);
  const users = Number(values.users ?? (values.quick ? 100_000 : 1_000_000));
  const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
  if (!Number.isInteger(users) || users < 1 || users > 50_000_000)
    throw new Error(`--users must be an integer 1-50000000, got "${values.users}"`);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
    throw new Error(`--rounds must be an integer 1-50, got "${values.rounds}"`);
  const machine = machineInfo();
  console.log(`Statistics benchmark on ${describeMachine(machine)}`);
  const data = makeUsers(users);
  const aggregation = time(rounds, () => aggregate(data));
  const events = makeEvents(data);
  const fromEvents = time(Math.min(rounds, 3), () => aggregateEvents(events));
  const analysis = time(rounds, () => analyzeExperiment(spec, aggregation.result));
  const largest = largestCase();
  const worst = time(Math.min(rounds, 3), () => analyzeExperiment(largest.spec, largest.aggregates));
  const rows = [
    [`${users} users × 3 variants, 2 metrics`, "aggregate per-user totals", aggregation.ms.toFixed(1)],
    [`${users} users × 3 variants, 2 metrics`, "analyzeExperiment", analysis.ms.toFixed(1)],
    [`${users} users × 3 variants, 2 metrics`, "total", (aggregation.ms + analysis.ms).toFixed(1)],
    [
      `${events.exposureUser.length + events.orderUser.length} raw events of the same users`,
      "deduplicate by targeting key + aggregate",
      fromEvents.ms.toFixed(1),
    ],
    ["20 variants × 20 metrics (schema maximum)", "analyzeExperiment", worst.ms.toFixed(1)],
  ];
  console.log(`\nMedian of ${rounds} rounds (ms):\n`);
  console.log(markdownTable(["data", "step", "ms"], rows));
  console.log(`\nrecommendation: ${analysis.result.recommendation.message}`);
  const total = aggregation.ms + analysis.ms;
  const verdict = total < 2000 ? "meets" : "misses";
  console.log(`goal "analysis of 1 million users under 2 s": ${verdict} (${total.toFixed(0)} ms for ${users} users)`);
  if (json) {
    const file = writeResults("statistics", {
      machine,
      users,
      rounds,
      aggregationMs: aggregation.ms,
      analysisMs: analysis.ms,
      rawEvents: events.exposureUser.length + events.orderUser.length,
      rawEventAggregationMs: fromEvents.ms,
      largestSpecAnalysisMs: worst.ms,
    });
    console.log(`results: ${file}`);
  }
  return true;
}

await runMain(main);
