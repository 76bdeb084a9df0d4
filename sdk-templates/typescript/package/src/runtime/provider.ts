// VexilProvider: an OpenFeature server provider for the Vexil evaluator. Remote mode (the default)
// speaks OFREP: bulk evaluation with an ETag per context (cacheSize contexts kept) or single calls
// when cacheSize is 0; /v1/stream invalidates the cache and emits PROVIDER_CONFIGURATION_CHANGED.
// Local mode evaluates in process on the evaluator's snapshot (snapshots.ts, local.ts), with
// STALE/ERROR events while the evaluator is unreachable. track() (and local mode's exposures) go to
// /v1/events in batches. Evaluation never throws.
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
import { resolveLocally } from "./local.ts";
import { SnapshotFollower, type SnapshotEvent, type SnapshotOptions } from "./snapshots.ts";
import { EventBatcher, type TrackedEvent, type TrackingOptions } from "./tracking.ts";
import { failureOf, failureOfError, Transport, type Failure, type TransportOptions } from "./transport.ts";
import { failed, resolveItem, type FlagKind, type OfrepItem, type Resolution } from "./values.ts";

export interface VexilProviderOptions
  extends Omit<TransportOptions, "baseUrl">, ChangeWatcherOptions, TrackingOptions, SnapshotOptions {
  /** the evaluator, e.g. http://vexil.shop.svc:8080 (required, except in local mode from a snapshotFile) */
  baseUrl?: string;
  /** "remote" (default): OFREP calls to the evaluator; "local": evaluate in process on its snapshot */
  mode?: "remote" | "local";
  /** contexts whose bulk evaluation is kept, revalidated with ETags (default 1000; 0: one request per evaluation) */
  cacheSize?: number;
}

const SNAPSHOT_EVENTS = {
  ready: ProviderEvents.Ready,
  changed: ProviderEvents.ConfigurationChanged,
  stale: ProviderEvents.Stale,
  error: ProviderEvents.Error,
} as const;

interface CachedBulk {
  etag: string | undefined;
  generation: number;
  items: Map<string, OfrepItem>;
}

export class VexilProvider implements Provider {
  readonly metadata = { name: "vexil" } as const;
  readonly runsOn = "server";
  readonly events = new OpenFeatureEventEmitter();
  readonly #transport: Transport | undefined;
  readonly #watcher: ChangeWatcher | undefined;
  readonly #local: SnapshotFollower | undefined;
  readonly #tracking: EventBatcher | undefined;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, CachedBulk>();
  #generation = 0;
  #initializing = false;
  #startMessage = "";

  constructor(options: VexilProviderOptions) {
    const local = options.mode === "local";
    if (options.mode !== undefined && !local && options.mode !== "remote") {
      throw new Error(`mode must be "remote" or "local", got "${String(options.mode)}"`);
    }
    if (options.baseUrl === undefined && !(local && options.snapshotFile !== undefined)) {
      throw new Error("baseUrl is required (in local mode, a snapshotFile can stand in for it)");
    }
    const baseUrl = options.baseUrl;
    this.#transport = baseUrl === undefined ? undefined : new Transport({ ...options, baseUrl });
    this.#cacheSize = options.cacheSize ?? 1000;
    this.#tracking = this.#transport && new EventBatcher(this.#transport, options);
    if (local) {
      this.#local = new SnapshotFollower(this.#transport, options, (event, message) =>
        this.#snapshotEvent(event, message),
      );
    } else {
      this.#watcher = new ChangeWatcher(this.#transport as Transport, options, () => {
        this.#generation += 1;
        this.events.emit(ProviderEvents.ConfigurationChanged, { message: "the evaluator's flags changed" });
      });
    }
  }

  /** Remote: checks that the evaluator answers. Local: loads the first snapshot. Then follows the changes. */
  async initialize(): Promise<void> {
    if (this.#local !== undefined) return this.#initializeLocal(this.#local);
    const transport = this.#transport as Transport;
    let answer;
    try {
      answer = await transport.post("/ofrep/v1/evaluate/flags", { context: {} });
    } catch (error) {
      throw new Error(failureOfError(error).errorMessage, { cause: error });
    }
    if (answer.status !== 200) throw new Error(`the evaluator answered: ${failureOf(answer).errorMessage}`);
    this.#watcher?.start();
  }

  async #initializeLocal(local: SnapshotFollower): Promise<void> {
    this.#initializing = true;
    try {
      await local.start();
    } finally {
      this.#initializing = false;
    }
    if (local.state === "ERROR" || local.current === undefined) {
      throw new Error(`no snapshot to evaluate: ${this.#startMessage}`);
    }
    // started from the file while the evaluator is unreachable: say so once OpenFeature has marked us ready
    const message = this.#startMessage;
    if (local.state === "STALE") setTimeout(() => this.events.emit(ProviderEvents.Stale, { message }), 0);
  }

  #snapshotEvent(event: SnapshotEvent, message: string): void {
    if (this.#initializing) {
      this.#startMessage = message; // initialize() reports the outcome of the start
      return;
    }
    this.events.emit(SNAPSHOT_EVENTS[event], { message });
  }

  async onClose(): Promise<void> {
    this.#watcher?.stop();
    this.#local?.stop();
    await this.#tracking?.close();
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
    this.#tracking?.add(event); // offline from a snapshot file: nowhere to send it
  }

  /** Send the tracked events queued so far. */
  flush(): Promise<void> {
    return this.#tracking?.flush() ?? Promise.resolve();
  }

  async #resolve<T>(key: string, kind: FlagKind, defaultValue: T, context: EvaluationContext) {
    let result: Resolution<T>;
    if (this.#local !== undefined) {
      const onExposure = (event: TrackedEvent) => this.#tracking?.add(event);
      result = resolveLocally(this.#local.current, key, kind, defaultValue, context, onExposure);
      return result as ResolutionDetails<T>;
    }
    try {
      const item = this.#cacheSize > 0 ? await this.#fromBulk(key, context) : await this.#single(key, context);
      result = resolveItem(key, item, kind, defaultValue);
    } catch (error) {
      result = failed(defaultValue, failureOfError(error));
    }
    return result as ResolutionDetails<T>;
  }

  async #single(key: string, context: EvaluationContext): Promise<OfrepItem> {
    // no flag has an empty key, and /ofrep/v1/evaluate/flags/ would be the bulk endpoint
    if (key === "") return toItem({ errorCode: "FLAG_NOT_FOUND", errorMessage: 'flag "" not found' });
    const answer = await (this.#transport as Transport).post(`/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`, {
      context,
    });
    return answer.status === 200 ? (answer.body as OfrepItem) : toItem(failureOf(answer));
  }

  async #fromBulk(key: string, context: EvaluationContext): Promise<OfrepItem> {
    const cacheKey = canonicalJson(context);
    let entry = this.#cache.get(cacheKey);
    if (entry === undefined || entry.generation !== this.#generation) {
      const generation = this.#generation;
      const headers: Record<string, string> = entry?.etag === undefined ? {} : { "If-None-Match": entry.etag };
      const answer = await (this.#transport as Transport).post("/ofrep/v1/evaluate/flags", { context }, headers);
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
