// VexilProvider: an OpenFeature server provider for the Vexil evaluator over OFREP. Evaluations
// use bulk OFREP with an ETag per context (cacheSize contexts kept) or single OFREP calls when
// cacheSize is 0; /v1/stream invalidates the cache and emits PROVIDER_CONFIGURATION_CHANGED;
// track() sends conversions and values to /v1/events in batches. Evaluation never throws.
import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from "@openfeature/server-sdk";
import { ChangeWatcher, type ChangeWatcherOptions } from "./changes.ts";
import { EventBatcher, type TrackedEvent, type TrackingOptions } from "./tracking.ts";
import { failureOf, failureOfError, Transport, type Failure, type TransportOptions } from "./transport.ts";
import { failed, resolveItem, type FlagKind, type OfrepItem, type Resolution } from "./values.ts";

export interface VexilProviderOptions extends TransportOptions, ChangeWatcherOptions, TrackingOptions {
  /** contexts whose bulk evaluation is kept, revalidated with ETags (default 1000; 0: one request per evaluation) */
  cacheSize?: number;
}

interface CachedBulk {
  etag: string | undefined;
  generation: number;
  items: Map<string, OfrepItem>;
}

export class VexilProvider implements Provider {
  readonly metadata = { name: "vexil" } as const;
  readonly runsOn = "server";
  readonly events = new OpenFeatureEventEmitter();
  readonly #transport: Transport;
  readonly #watcher: ChangeWatcher;
  readonly #tracking: EventBatcher;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, CachedBulk>();
  #generation = 0;

  constructor(options: VexilProviderOptions) {
    this.#transport = new Transport(options);
    this.#cacheSize = options.cacheSize ?? 1000;
    this.#tracking = new EventBatcher(this.#transport, options);
    this.#watcher = new ChangeWatcher(this.#transport, options, () => {
      this.#generation += 1;
      this.events.emit(ProviderEvents.ConfigurationChanged, { message: "the evaluator's flags changed" });
    });
  }

  /** Checks that the evaluator answers, then follows its changes. */
  async initialize(): Promise<void> {
    let answer;
    try {
      answer = await this.#transport.post("/ofrep/v1/evaluate/flags", { context: {} });
    } catch (error) {
      throw new Error(failureOfError(error).errorMessage, { cause: error });
    }
    if (answer.status !== 200) throw new Error(`the evaluator answered: ${failureOf(answer).errorMessage}`);
    this.#watcher.start();
  }

  async onClose(): Promise<void> {
    this.#watcher.stop();
    await this.#tracking.close();
  }

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return this.#resolve(key, "boolean", defaultValue, context);
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return this.#resolve(key, "string", defaultValue, context);
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return this.#resolve(key, "number", defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext) {
    return this.#resolve(key, "object", defaultValue, context);
  }

  /** Queue a conversion (or a value, when details.value is set); details.flag, variant and experiment name what it is for. */
  track(eventName: string, context: EvaluationContext, details: TrackingEventDetails = {}): void {
    const targetingKey = context.targetingKey;
    if (typeof targetingKey !== "string" || targetingKey === "") return; // nobody to attribute it to
    const event: TrackedEvent = {
      type: details.value === undefined ? "conversion" : "value",
      event: eventName,
      targetingKey,
      timestamp: new Date().toISOString(),
    };
    if (typeof details["flag"] === "string") event.flag = details["flag"];
    if (typeof details["variant"] === "string") event.variant = details["variant"];
    if (typeof details["experiment"] === "string") event.experiment = details["experiment"];
    if (details.value !== undefined) event.value = details.value;
    this.#tracking.add(event);
  }

  /** Send the tracked events queued so far. */
  flush(): Promise<void> {
    return this.#tracking.flush();
  }

  async #resolve<T>(key: string, kind: FlagKind, defaultValue: T, context: EvaluationContext) {
    let result: Resolution<T>;
    try {
      const item = this.#cacheSize > 0 ? await this.#fromBulk(key, context) : await this.#single(key, context);
      result = resolveItem(key, item, kind, defaultValue);
    } catch (error) {
      result = failed(defaultValue, failureOfError(error));
    }
    return result as ResolutionDetails<T>;
  }

  async #single(key: string, context: EvaluationContext): Promise<OfrepItem> {
    const answer = await this.#transport.post(`/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`, { context });
    return answer.status === 200 ? (answer.body as OfrepItem) : toItem(failureOf(answer));
  }

  async #fromBulk(key: string, context: EvaluationContext): Promise<OfrepItem> {
    const cacheKey = canonicalJson(context);
    let entry = this.#cache.get(cacheKey);
    if (entry === undefined || entry.generation !== this.#generation) {
      const generation = this.#generation;
      const headers: Record<string, string> = entry?.etag === undefined ? {} : { "If-None-Match": entry.etag };
      const answer = await this.#transport.post("/ofrep/v1/evaluate/flags", { context }, headers);
      if (answer.status === 304 && entry !== undefined) entry.generation = generation;
      else if (answer.status === 200) entry = { etag: answer.etag, generation, items: itemsOf(answer.body) };
      else return toItem(failureOf(answer));
      this.#remember(cacheKey, entry);
    }
    return entry.items.get(key) ?? toItem({ errorCode: "FLAG_NOT_FOUND", errorMessage: `flag "${key}" not found` });
  }

  #remember(cacheKey: string, entry: CachedBulk): void {
    this.#cache.delete(cacheKey); // re-inserted last: the map's order is least recently used first
    this.#cache.set(cacheKey, entry);
    if (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
  }
}

function toItem(failure: Failure): OfrepItem {
  return { errorCode: failure.errorCode, errorDetails: failure.errorMessage };
}

function itemsOf(body: unknown): Map<string, OfrepItem> {
  const flags = (body as { flags?: unknown } | undefined)?.flags;
  const items = new Map<string, OfrepItem>();
  if (!Array.isArray(flags)) return items;
  for (const item of flags as OfrepItem[]) if (typeof item.key === "string") items.set(item.key, item);
  return items;
}

/** JSON with object keys sorted, so equal contexts share one cache entry. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
