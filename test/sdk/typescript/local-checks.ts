// Local evaluation in the TypeScript and JavaScript packages, against live evaluators: the same
// answers as remote mode (on examples/ and on the shared vectors), exposures reaching
// /v1/events, the last good snapshot served (and STALE said) while the evaluator is down, READY
// again when it is back, and an offline start from `vexil compile` output.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  OpenFeature,
  ProviderEvents,
  type Client,
  type EvaluationDetails,
  type FlagValue,
  type JsonValue,
} from "@openfeature/server-sdk";
import { expect } from "vitest";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";
import { exposuresOf, ROOT, run, startEvaluator, type LiveEvaluator } from "../harness.ts";
import type { GeneratedModule } from "./checks.ts";

type Kind = "boolean" | "string" | "number" | "object";
const KIND_OF_TYPE: Record<string, Kind> = { boolean: "boolean", string: "string", number: "number", json: "object" };
const FALLBACK: Record<Kind, FlagValue> = { boolean: false, string: "", number: 0, object: {} };

const pick = (d: EvaluationDetails<FlagValue>) => ({
  value: d.value,
  variant: d.variant,
  reason: d.reason,
  errorCode: d.errorCode,
});

async function details(client: Client, key: string, kind: Kind, fallback: FlagValue, context: object) {
  const ctx = context as Record<string, string>;
  if (kind === "boolean") return client.getBooleanDetails(key, fallback as boolean, ctx);
  if (kind === "string") return client.getStringDetails(key, fallback as string, ctx);
  if (kind === "number") return client.getNumberDetails(key, fallback as number, ctx);
  return client.getObjectDetails(key, fallback as JsonValue, ctx) as Promise<EvaluationDetails<FlagValue>>;
}

async function clientFor(sdk: GeneratedModule, options: Record<string, unknown>): Promise<Client> {
  const domain = `local-${Math.random()}`;
  await OpenFeature.setProviderAndWait(domain, new sdk.VexilProvider(options));
  return OpenFeature.getClient(domain);
}

async function snapshotOf(evaluator: LiveEvaluator): Promise<Snapshot> {
  const response = await fetch(`${evaluator.url}/v1/snapshot`, {
    headers: { authorization: `Bearer ${evaluator.token}` },
  });
  return (await response.json()) as Snapshot;
}

/** Users with the attributes examples/ targets on (plan, country, email, app version, beta). */
function sampleUsers(count: number): Record<string, unknown>[] {
  const plans = ["premium", "free", "enterprise"];
  const countries = ["FR", "US", "DE", "JP"];
  return Array.from({ length: count }, (_, i) => ({
    targetingKey: `sample-${i}`,
    plan: plans[i % plans.length],
    country: countries[i % countries.length],
    email: i % 5 === 0 ? `dev${i}@acme.example` : `user${i}@mail.example`,
    appVersion: `2.${i % 4}.0`,
    beta: i % 2 === 0,
  }));
}

/** Every flag of examples/ for 60 users: local mode answers exactly as the evaluator does. */
export async function checkLocalAgreesOnExamples(sdk: GeneratedModule, evaluator: LiveEvaluator): Promise<number> {
  const auth = { baseUrl: evaluator.url, token: evaluator.token };
  const remote = await clientFor(sdk, { ...auth, cacheSize: 0 });
  const local = await clientFor(sdk, { ...auth, mode: "local" });
  const snapshot = await snapshotOf(evaluator);
  let compared = 0;
  for (const [key, flag] of Object.entries(snapshot.flags)) {
    const kind = KIND_OF_TYPE[flag.type] as Kind;
    for (const user of [{}, ...sampleUsers(60)]) {
      const want = pick(await details(remote, key, kind, FALLBACK[kind], user));
      expect({ key, user, ...pick(await details(local, key, kind, FALLBACK[kind], user)) }).toEqual({
        key,
        user,
        ...want,
      });
      compared += 1;
    }
  }
  await OpenFeature.clearProviders();
  return compared;
}

interface VectorCase {
  description: string;
  flag: string;
  context: object;
  expected: { value: FlagValue; variant?: string; reason: string; errorCode?: string };
  options?: { defaultValue?: FlagValue; expectedType?: Kind };
}

/** The shared vectors (test/vectors/evaluation.json) through an evaluator serving their snapshot. */
export function vectors(): { snapshot: Snapshot; cases: VectorCase[] } {
  return JSON.parse(readFileSync(join(ROOT, "test/vectors/evaluation.json"), "utf8")) as {
    snapshot: Snapshot;
    cases: VectorCase[];
  };
}

/** Every `step`-th vector case: local and remote answer alike, and as the vector says. */
export async function checkLocalAgreesOnVectors(sdk: GeneratedModule, step: number): Promise<number> {
  const { snapshot, cases } = vectors();
  const evaluator = await startEvaluator({ snapshot });
  try {
    const auth = { baseUrl: evaluator.url, token: evaluator.token };
    const remote = await clientFor(sdk, { ...auth, cacheSize: 0 });
    const local = await clientFor(sdk, { ...auth, mode: "local" });
    // OpenFeature merges every context into an object: a vector whose context is not one cannot be asked
    const asked = cases.filter((c) => typeof c.context === "object" && c.context !== null && !Array.isArray(c.context));
    const sample = asked.filter((_, i) => i % step === 0);
    for (const c of sample) {
      const type = snapshot.flags[c.flag]?.type;
      const kind = c.options?.expectedType ?? (type === undefined ? "object" : (KIND_OF_TYPE[type] as Kind));
      const fallback = c.options?.defaultValue ?? FALLBACK[kind];
      const got = pick(await details(local, c.flag, kind, fallback, c.context));
      expect({ case: c.description, ...got }).toEqual({
        case: c.description,
        ...pick(await details(remote, c.flag, kind, fallback, c.context)),
      });
      const { value, variant, reason, errorCode } = c.expected;
      const expected = { value: errorCode === undefined ? value : fallback, variant, reason, errorCode };
      expect({ case: c.description, ...got }).toEqual({ case: c.description, ...expected });
    }
    await OpenFeature.clearProviders();
    return sample.length;
  } finally {
    await evaluator.close();
  }
}

/** Experiment flags evaluated locally: their exposures reach the evaluator's /v1/events. */
export async function checkLocalExposures(sdk: GeneratedModule, evaluator: LiveEvaluator, prefix: string) {
  const client = await clientFor(sdk, { baseUrl: evaluator.url, token: evaluator.token, mode: "local" });
  const served = new Map<string, string>();
  for (let i = 0; i < 20; i++) {
    const d = await client.getStringDetails("checkout-button-color", "", { targetingKey: `${prefix}${i}` });
    expect(d.reason).toBe("SPLIT");
    served.set(`${prefix}${i}`, d.variant as string);
  }
  await client.getStringDetails("checkout-button-color", "", {}); // no user: nobody to expose
  await OpenFeature.clearProviders(); // closing sends what is queued
  const stored = await exposuresOf(evaluator, prefix, 20);
  expect(stored).toHaveLength(20);
  for (const e of stored) {
    expect(e).toEqual({
      targetingKey: e.targetingKey,
      experiment: "button-color-test",
      flag: "checkout-button-color",
      variant: served.get(e.targetingKey),
    });
  }
}

function nextEvent(client: Client, event: ProviderEvents): Promise<string> {
  return new Promise((resolve) => client.addHandler(event, (d) => resolve(d?.message ?? "")));
}

/** The evaluator stops: the last good snapshot keeps serving and STALE is said; back on its port: READY. */
export async function checkLocalOutage(sdk: GeneratedModule): Promise<{ staleMs: number; readyMs: number }> {
  let evaluator = await startEvaluator();
  const client = await clientFor(sdk, { baseUrl: evaluator.url, token: evaluator.token, mode: "local" });
  const user = { targetingKey: "user-1" };
  expect(await client.getBooleanValue("new-checkout", false, user)).toBe(true);
  const stale = nextEvent(client, ProviderEvents.Stale);
  let started = performance.now();
  await evaluator.close();
  const message = await stale;
  const staleMs = performance.now() - started;
  expect(message).toMatch(/stream|snapshot/);
  expect(pick(await client.getBooleanDetails("new-checkout", false, user))).toEqual({
    value: true,
    variant: "on",
    reason: "TARGETING_MATCH",
    errorCode: undefined,
  });
  const ready = nextEvent(client, ProviderEvents.Ready);
  started = performance.now();
  evaluator = await startEvaluator({ port: evaluator.port });
  try {
    await ready;
    const readyMs = performance.now() - started;
    expect(await client.getBooleanValue("new-checkout", false, user)).toBe(true);
    await OpenFeature.clearProviders();
    return { staleMs, readyMs };
  } finally {
    await evaluator.close();
  }
}

/** No evaluator at all: `vexil compile` output is enough to start and answer. */
export async function checkLocalOffline(sdk: GeneratedModule, dir: string): Promise<void> {
  const file = join(dir, "snapshot.json");
  const compiled = await run(join(ROOT, "node_modules/.bin/node"), [
    join(ROOT, "cli/main.ts"),
    "compile",
    "--flags",
    join(ROOT, "test/sdk/flags"),
    "--env",
    "production",
  ]);
  await writeFile(file, compiled.stdout);
  const client = await clientFor(sdk, { mode: "local", snapshotFile: file });
  const flags = new sdk.Flags(client);
  expect(await flags.newCheckout!({ targetingKey: "user-1" })).toBe(true);
  expect(await flags.buttonColor!({ targetingKey: "u", plan: "premium" })).toBe("green");
  expect(await flags.maxItems!()).toBe(10);
  expect((await client.getBooleanDetails("express-pay", true)).reason).toBe("PREREQUISITE_FAILED");
  await OpenFeature.clearProviders();
  // a file that is not a snapshot refuses to start, saying why
  await writeFile(file, '{"flags": {}}');
  const broken = new sdk.VexilProvider({ mode: "local", snapshotFile: file });
  await expect(OpenFeature.setProviderAndWait(`offline-${Math.random()}`, broken)).rejects.toThrow(
    `no snapshot to evaluate: snapshot file ${file}: snapshot schemaVersion undefined is not supported (1 is)`,
  );
  await OpenFeature.clearProviders();
}
