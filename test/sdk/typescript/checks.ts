// The behaviour every generated SDK must show, written for the TypeScript and JavaScript
// packages (the Python, Java and Go tests check the same list in their own languages).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  OpenFeature,
  ProviderEvents,
  type Client,
  type EvaluationDetails,
  type FlagValue,
} from "@openfeature/server-sdk";
import { expect } from "vitest";
import { KILL_SWITCH, trackedEvents, type LiveEvaluator } from "../harness.ts";

/** The part of a generated package's exports the checks use. */
export interface GeneratedModule {
  VexilProvider: new (options: Record<string, unknown>) => import("@openfeature/server-sdk").Provider & {
    flush(): Promise<void>;
  };
  Flags: new (client: Client) => Record<string, (context?: object) => Promise<unknown>>;
  FlagKeys: Record<string, string>;
  FlagVariants: Record<string, Record<string, unknown>>;
  ButtonColor: Record<string, string>;
}

const pick = (d: EvaluationDetails<FlagValue>) => ({
  value: d.value,
  variant: d.variant,
  reason: d.reason,
  errorCode: d.errorCode,
});

/** `mode` "local" runs the same checks on local evaluation. */
export async function checkValuesVariantsReasons(
  sdk: GeneratedModule,
  evaluator: LiveEvaluator,
  mode: "remote" | "local" = "remote",
): Promise<void> {
  const domain = `values-${Math.random()}`;
  await OpenFeature.setProviderAndWait(
    domain,
    new sdk.VexilProvider({ baseUrl: evaluator.url, token: evaluator.token, mode }),
  );
  const client = OpenFeature.getClient(domain);
  const flags = new sdk.Flags(client);
  expect(await flags.newCheckout!({ targetingKey: "user-1" })).toBe(true);
  expect(await flags.newCheckout!({ targetingKey: "user-2", country: "FR" })).toBe(true);
  expect(await flags.newCheckout!({ targetingKey: "user-3" })).toBe(false);
  expect(pick((await flags.newCheckoutDetails!({ targetingKey: "user-1" })) as EvaluationDetails<FlagValue>)).toEqual({
    value: true,
    variant: "on",
    reason: "TARGETING_MATCH",
    errorCode: undefined,
  });
  expect(pick((await flags.newCheckoutDetails!({ targetingKey: "user-3" })) as EvaluationDetails<FlagValue>)).toEqual({
    value: false,
    variant: "off",
    reason: "DEFAULT",
    errorCode: undefined,
  });
  expect(await flags.buttonColor!({ targetingKey: "u", plan: "premium" })).toBe(sdk.ButtonColor.GREEN);
  expect(await flags.buttonColor!({ targetingKey: "u" })).toBe("blue");
  expect(await flags.maxItems!()).toBe(10); // a whole number asked as a number (float)
  expect(await flags.searchConfig!()).toEqual({ algorithm: "bm25", boost: 1.5 });
  expect(await flags.flag2faRequired!()).toBe(false);
  expect(sdk.FlagKeys.NEW_CHECKOUT).toBe("new-checkout");
  expect(sdk.FlagVariants["max-items"]).toEqual({ few: 10, many: 25 });
  // a custom reason passes through as a reason, not an error
  expect(pick((await flags.expressPayDetails!()) as EvaluationDetails<FlagValue>)).toEqual({
    value: false,
    variant: "off",
    reason: "PREREQUISITE_FAILED",
    errorCode: undefined,
  });
  expect(pick(await client.getBooleanDetails("no-such-flag", true, { targetingKey: "u" }))).toEqual({
    value: true,
    variant: undefined,
    reason: "ERROR",
    errorCode: "FLAG_NOT_FOUND",
  });
  const mismatch = await client.getBooleanDetails("button-color", false, { targetingKey: "u" });
  expect(pick(mismatch)).toEqual({ value: false, variant: undefined, reason: "ERROR", errorCode: "TYPE_MISMATCH" });
  expect(mismatch.errorMessage).toBe('flag "button-color" is a string, not a boolean');
  await OpenFeature.clearProviders();
}

export async function checkSingleEvaluation(sdk: GeneratedModule, evaluator: LiveEvaluator): Promise<void> {
  const domain = `single-${Math.random()}`;
  const provider = new sdk.VexilProvider({ baseUrl: evaluator.url, apiKey: evaluator.token, cacheSize: 0 });
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  expect(await new sdk.Flags(client).newCheckout!({ targetingKey: "user-1" })).toBe(true);
  expect((await client.getBooleanDetails("no-such-flag", true)).errorCode).toBe("FLAG_NOT_FOUND");
  expect((await client.getStringDetails("max-items", "x")).errorCode).toBe("TYPE_MISMATCH");
  expect((await client.getNumberDetails("max-items", 0)).value).toBe(10);
  await OpenFeature.clearProviders();
}

export async function checkAuthRefused(sdk: GeneratedModule, evaluator: LiveEvaluator): Promise<void> {
  const provider = new sdk.VexilProvider({ baseUrl: evaluator.url, token: "wrong", timeoutMs: 2000 });
  await expect(OpenFeature.setProviderAndWait(`auth-${Math.random()}`, provider)).rejects.toThrow(
    "the evaluator answered: the evaluator refused the credentials (HTTP 403)",
  );
  await OpenFeature.clearProviders();
}

/** Flips payments-v2's kill switch in the served directory; the change must arrive within a second. */
export async function checkKillSwitch(
  sdk: GeneratedModule,
  evaluator: LiveEvaluator,
  mode: "remote" | "local" = "remote",
): Promise<number> {
  const domain = `kill-${Math.random()}`;
  await OpenFeature.setProviderAndWait(
    domain,
    new sdk.VexilProvider({ baseUrl: evaluator.url, token: evaluator.token, mode }),
  );
  const client = OpenFeature.getClient(domain);
  const flags = new sdk.Flags(client);
  expect(await flags.paymentsV2!({ targetingKey: "u" })).toBe(true);
  await new Promise((r) => setTimeout(r, 200)); // the stream is connected and has the current hash
  const changed = new Promise<number>((resolve) => {
    client.addHandler(ProviderEvents.ConfigurationChanged, () => resolve(performance.now()));
  });
  const file = join(evaluator.flagsDir, KILL_SWITCH.file);
  const started = performance.now();
  await writeFile(file, (await readFile(file, "utf8")).replace(KILL_SWITCH.from, KILL_SWITCH.to));
  const elapsed = (await changed) - started;
  expect(elapsed).toBeLessThan(1000);
  expect(pick((await flags.paymentsV2Details!({ targetingKey: "u" })) as EvaluationDetails<FlagValue>)).toEqual({
    value: false,
    variant: "off",
    reason: "DISABLED",
    errorCode: undefined,
  });
  await OpenFeature.clearProviders();
  return elapsed;
}

export async function checkTracking(sdk: GeneratedModule, evaluator: LiveEvaluator): Promise<void> {
  const domain = `track-${Math.random()}`;
  await OpenFeature.setProviderAndWait(
    domain,
    new sdk.VexilProvider({ baseUrl: evaluator.url, token: evaluator.token }),
  );
  const client = OpenFeature.getClient(domain);
  const user = { targetingKey: `ts-buyer` };
  client.track("purchase", user, { value: 42.5, flag: "new-checkout", variant: "on" });
  client.track("signup", user);
  client.track("anonymous"); // no targeting key: nobody to attribute it to, not sent
  await OpenFeature.clearProviders(); // closing the provider sends what is queued
  expect(await trackedEvents(evaluator, "ts-buyer", 2)).toEqual([
    { event: "purchase", value: 42.5 },
    { event: "signup", value: 1 },
  ]);
}
