// Processes for the experiments tests: `vexil serve` evaluators as child processes (so that
// restarts and SIGTERM flushes are real), and the bookkeeping of what the test itself sent.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import type { ExperimentAggregates } from "../../core/statistics/aggregates.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  post(route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** SIGTERM and wait for the exit (flushes buffered events) */
  stop(): Promise<number | null>;
}

export async function spawnServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [path.join(root, "cli", "main.ts"), "serve", "--port", "0", "--host", "127.0.0.1", ...args],
    // the integration setup sets KUBECONFIG for --kubernetes
    { env: process.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  process.once("exit", () => child.kill("SIGKILL"));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === "listening") resolve(entry.port!);
    });
    void exited.then((code) => reject(new Error(`vexil serve exited with ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  // ready once a snapshot is loaded
  for (let tries = 0; !(await fetch(`${url}/readyz`)).ok; tries++) {
    if (tries > 600) throw new Error(`vexil serve at ${url} never became ready: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    exited,
    async post(route, body) {
      const response = await fetch(`${url}${route}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** What the test sent, and therefore what the store must report: the independent side of the comparison. */
export class Ledger {
  readonly variantOf = new Map<string, string>();
  readonly purchasers = new Set<string>();
  readonly revenue = new Map<string, number>();

  exposed(user: string, variant: string): void {
    const before = this.variantOf.get(user);
    if (before !== undefined && before !== variant) throw new Error(`${user} was served ${before}, then ${variant}`);
    this.variantOf.set(user, variant);
  }

  aggregates(variants: readonly string[]): ExperimentAggregates {
    const exposuresByVariant = Object.fromEntries(variants.map((v) => [v, 0]));
    for (const variant of this.variantOf.values()) exposuresByVariant[variant]! += 1;
    const row = (variant: string, users: string[], total: (u: string) => number) => {
      const values = users.filter((u) => this.variantOf.get(u) === variant).map(total);
      return {
        variant,
        exposures: exposuresByVariant[variant]!,
        conversions: values.length,
        sum: values.reduce((a, b) => a + b, 0),
        sumOfSquares: values.reduce((a, b) => a + b * b, 0),
      };
    };
    const purchasers = [...this.purchasers].filter((u) => this.variantOf.has(u));
    const earners = [...this.revenue.keys()].filter((u) => this.variantOf.has(u));
    return {
      exposuresByVariant,
      metrics: {
        purchase: variants.map((v) => row(v, purchasers, () => 1)),
        revenue: variants.map((v) => row(v, earners, (u) => this.revenue.get(u)!)),
      },
    };
  }
}

export const EXPERIMENT_YAML = (flag: string) => `apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: {name: ${flag}}
spec:
  type: string
  variants: [{name: blue, value: blue}, {name: green, value: green}]
  defaultVariant: blue
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: ${flag}-test}
spec:
  flag: ${flag}
  variants: [{variant: blue, weight: 50}, {variant: green, weight: 50}]
  control: blue
  minimumSamples: 10
  metrics:
    - {name: purchase, event: purchase, type: conversion}
    - {name: revenue, event: revenue, type: numeric}
`;

/**
 * Evaluates users through OFREP on the given evaluators (round robin), records what each was
 * served, and posts conversions (every third user) and revenue (every fifth, twice for some) to
 * the evaluators in turn. Returns how many requests answered 200.
 */
export async function driveUsers(
  evaluators: readonly ServeProcess[],
  flag: string,
  users: readonly string[],
  ledger: Ledger,
): Promise<number> {
  let ok = 0;
  for (const [i, user] of users.entries()) {
    const evaluator = evaluators[i % evaluators.length]!;
    const answer = await evaluator.post(`/ofrep/v1/evaluate/flags/${flag}`, { context: { targetingKey: user } });
    if (answer.status !== 200) continue;
    ok += 1;
    if ((answer.body.metadata as Record<string, unknown> | undefined)?.experiment === `${flag}-test`) {
      ledger.exposed(user, answer.body.variant as string);
    }
    // the same user on the other evaluator: the same variant, no second exposure
    if (i % 4 === 0)
      await evaluators[(i + 1) % evaluators.length]!.post(`/ofrep/v1/evaluate/flags/${flag}`, {
        context: { targetingKey: user },
      });
  }
  const events: { type: string; event: string; targetingKey: string; value?: number }[] = [];
  for (const [i, user] of users.entries()) {
    if (i % 3 === 0) {
      events.push({ type: "conversion", event: "purchase", targetingKey: user });
      ledger.purchasers.add(user);
    }
    if (i % 5 === 0) {
      const value = (i % 7) + 1.5;
      const times = i % 10 === 0 ? 2 : 1;
      for (let t = 0; t < times; t++) events.push({ type: "value", event: "revenue", targetingKey: user, value });
      ledger.revenue.set(user, (ledger.revenue.get(user) ?? 0) + value * times);
    }
  }
  // a user nobody evaluated: stored, never counted
  events.push({ type: "conversion", event: "purchase", targetingKey: `stranger-${users[0]}` });
  // strictly increasing times, after every exposure: two revenue events of one user are two purchases
  const base = Date.now();
  for (let start = 0, n = 0; start < events.length; start += 50, n++) {
    const batch = events
      .slice(start, start + 50)
      .map((e, j) => ({ ...e, timestamp: new Date(base + start + j).toISOString() }));
    const answer = await evaluators[n % evaluators.length]!.post("/v1/events", batch);
    if (answer.status !== 202)
      throw new Error(`POST /v1/events answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return ok;
}
