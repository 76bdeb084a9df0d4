// FeatureFlagsInteraction: the original system's API in TypeScript idiom. Every method is
// async. Reads go through 60-second definition and 10-second result caches; every change
// made through this instance (or a withEnvironment view of it) clears both at once.
import type { ExperimentResource, FeatureFlag, JsonValue, SegmentResource } from "../schema/index.ts";
import { Analytics, type FlagAnalytics } from "./analytics.ts";
import { defaultActor, queryAudit, type AuditEntry, type AuditQuery } from "./audit.ts";
import type { Clock } from "./cache.ts";
import { DEFINITION_TTL_MS, Definitions } from "./definitions.ts";
import { Evaluations, RESULT_TTL_MS, type EvaluationDetails } from "./evaluation.ts";
import {
  experimentResultsOf,
  variantAnalyticsOf,
  type ExperimentResults,
  type ExperimentResultsReader,
  type VariantAnalytics,
} from "./experiments.ts";
import * as experimentDefinitions from "./experiment-operations.ts";
import type { ExperimentChanges, ExperimentOptions } from "./experiment-operations.ts";
import * as flags from "./flag-operations.ts";
import * as segments from "./segment-operations.ts";
import * as targeting from "./flag-targeting.ts";
import type { CreateFlagOptions, EnvironmentOverride, FlagChanges, ListFlagsOptions } from "./inputs.ts";
import type { ContextLike } from "./mapping.ts";
import type { Segment, Variant, VariantOptions } from "./model.ts";
import { isResourceName, writtenNameOf } from "../names/resource-name.ts";
import { generateSdkFiles, type GeneratedSdk, type SdkOptions } from "./sdk/generate.ts";
import { ensureOpen, invalidate, type Shared } from "./shared.ts";
import { MemoryStorage } from "./storage/memory.ts";
import type { FlagStorage, StoredResource } from "./storage/storage.ts";
import { SINGLE_VARIANT_MS, staleFlags, type StoredUsage, type UsageLedger } from "./usage.ts";
import { checkName } from "./validation.ts";
import { staleReport, type StaleReport } from "../usage/report.ts";
import type { StaleOptions } from "../usage/stale.ts";
import { NoWebhookDelivery, type WebhookDelivery, type WebhookOptions, type WebhookStatus } from "./webhooks.ts";

export interface FeatureFlagsOptions {
  /** where flags live; default: in memory */
  storage?: FlagStorage;
  /** environment evaluated in; default "production" */
  environment?: string;
  /** recorded in the audit log; default the OS user (os.userInfo().username), else $USER, else "unknown" */
  actor?: string;
  /** written to metadata.namespace and compiled for; default: none written, "default" compiled */
  namespace?: string;
  /** epoch milliseconds; inject a fake one in tests */
  clock?: Clock;
  /** cache lifetimes; defaults 60 s (definitions) and 10 s (results) */
  definitionTtlMs?: number;
  resultTtlMs?: number;
  /**
   * where change notifications go; default: nowhere (addWebhook throws NOT_SUPPORTED). The
   * FeatureFlagsInteraction exported by "vexil" defaults to signed delivery over HTTP.
   */
  webhooks?: WebhookDelivery;
  /** where getExperimentResults and getVariantAnalytics read: experimentResultsReader(store) from "vexil/events" */
  experiments?: ExperimentResultsReader;
  /** where evaluations are counted durably (the "vexil" package builds one from `eventsDatabase`); default: in memory */
  usage?: UsageLedger;
}

function createShared(options: FeatureFlagsOptions): Shared {
  const clock = options.clock ?? Date.now;
  const storage: FlagStorage = options.storage ?? new MemoryStorage();
  const definitions = new Definitions(
    storage,
    clock,
    options.namespace ?? "default",
    options.definitionTtlMs ?? DEFINITION_TTL_MS,
  );
  const analytics = new Analytics(options.usage, options.namespace ?? "default");
  const shared: Shared = {
    storage,
    namespace: options.namespace,
    actor: options.actor ?? defaultActor(),
    clock,
    definitions,
    analytics,
    evaluations: new Evaluations(definitions, analytics, clock, options.resultTtlMs ?? RESULT_TTL_MS),
    webhooks: options.webhooks ?? new NoWebhookDelivery(),
    experiments: options.experiments,
    closed: false,
  };
  // another process's change (a second instance, `vexil flags kill`, a git pull) reaches this
  // instance as soon as the backend notices it, not after the definition cache's 60 s
  shared.stopWatching = storage.watch?.(() => invalidate(shared));
  return shared;
}

/** This instance's counts as a ledger would store them (all time: an instance lives less than 30 days). */
function memoryUsage(a: FlagAnalytics): StoredUsage {
  return {
    flag: a.flagKey,
    evaluations: a.evaluations,
    byVariant: a.variants,
    byReason: a.reasons,
    byEnvironment: a.environments,
    lastEvaluatedAt: a.lastEvaluated === undefined ? 0 : Date.parse(a.lastEvaluated),
    ...(a.firstEvaluated !== undefined ? { firstEvaluatedAt: Date.parse(a.firstEvaluated) } : {}),
  };
}

export class FeatureFlagsInteraction {
  #shared: Shared;
  readonly environment: string;

  constructor(options: FeatureFlagsOptions = {}) {
    if (options.namespace !== undefined) checkName("namespace", options.namespace);
    this.environment = targeting.checkEnvironment(options.environment ?? "production");
    this.#shared = createShared(options);
  }

  /** A view evaluating in another environment, sharing storage, caches, audit, analytics and webhooks. */
  withEnvironment(environment: string): FeatureFlagsInteraction {
    // this.constructor: a view of a subclass (the "vexil" entry's) is an instance of that subclass
    const View = this.constructor as new (options: FeatureFlagsOptions) => FeatureFlagsInteraction;
    const view = new View({ environment, storage: this.#shared.storage, webhooks: this.#shared.webhooks });
    view.#shared = this.#shared;
    return view;
  }

  // ---- flags
  async createFlag(options: CreateFlagOptions): Promise<FeatureFlag> {
    return flags.createFlag(this.#shared, options);
  }

  async updateFlag(key: string, changes: FlagChanges): Promise<FeatureFlag> {
    return flags.updateFlag(this.#shared, key, changes);
  }

  async deleteFlag(key: string): Promise<void> {
    return flags.deleteFlag(this.#shared, key);
  }

  async getFlag(key: string): Promise<FeatureFlag | undefined> {
    const found = (await this.#shared.definitions.resources()).find(
      (r) => r.kind === "FeatureFlag" && writtenNameOf(r) === key,
    );
    return found === undefined ? undefined : (structuredClone(found) as FeatureFlag);
  }

  async listFlags(options: ListFlagsOptions = {}): Promise<FeatureFlag[]> {
    const all = (await this.#shared.definitions.resources()).filter((r): r is FeatureFlag => r.kind === "FeatureFlag");
    const tag = options.tag;
    return structuredClone(tag === undefined ? all : all.filter((flag) => (flag.spec.tags ?? []).includes(tag)));
  }

  // ---- kill switch
  async setKillSwitch(key: string, on: boolean): Promise<FeatureFlag> {
    return flags.setKillSwitch(this.#shared, key, on);
  }

  /** Serve the off variant everywhere, at once. */
  async killSwitch(key: string): Promise<FeatureFlag> {
    return flags.setKillSwitch(this.#shared, key, true);
  }

  /** Undo killSwitch. */
  async restoreFlag(key: string): Promise<FeatureFlag> {
    return flags.setKillSwitch(this.#shared, key, false);
  }

  // ---- segments and variants
  async addSegment(flagKey: string, segment: Segment): Promise<FeatureFlag> {
    return targeting.addSegment(this.#shared, flagKey, segment);
  }

  async removeSegment(flagKey: string, segmentName: string): Promise<FeatureFlag> {
    return targeting.removeSegment(this.#shared, flagKey, segmentName);
  }

  /** Segments the flag targets, or every segment when no flag is given. */
  async listSegments(flagKey?: string): Promise<SegmentResource[]> {
    return targeting.listSegments(this.#shared, flagKey);
  }

  // ---- segments on their own
  async createSegment(segment: Segment): Promise<SegmentResource> {
    return segments.createSegment(this.#shared, segment);
  }

  /** Replace a segment's definition; every flag using it sees the change. */
  async updateSegment(name: string, segment: Segment): Promise<SegmentResource> {
    return segments.updateSegment(this.#shared, name, segment);
  }

  /** Refused (SEGMENT_IN_USE) while a flag or experiment uses it. */
  async deleteSegment(name: string): Promise<void> {
    return segments.deleteSegment(this.#shared, name);
  }

  async getSegment(name: string): Promise<SegmentResource | undefined> {
    return this.#named("Segment", name) as Promise<SegmentResource | undefined>;
  }

  // ---- experiments
  async createExperiment(options: ExperimentOptions): Promise<ExperimentResource> {
    return experimentDefinitions.createExperiment(this.#shared, options);
  }

  async updateExperiment(name: string, changes: ExperimentChanges): Promise<ExperimentResource> {
    return experimentDefinitions.updateExperiment(this.#shared, name, changes);
  }

  async deleteExperiment(name: string): Promise<void> {
    return experimentDefinitions.deleteExperiment(this.#shared, name);
  }

  async getExperiment(name: string): Promise<ExperimentResource | undefined> {
    return this.#named("Experiment", name) as Promise<ExperimentResource | undefined>;
  }

  async listExperiments(): Promise<ExperimentResource[]> {
    const all = (await this.#shared.definitions.resources()).filter((r) => r.kind === "Experiment");
    return structuredClone(all) as ExperimentResource[];
  }

  /** A copy of the resource of this kind the user calls `name` (as written), from the cache. */
  async #named(kind: "Segment" | "Experiment", name: string): Promise<StoredResource | undefined> {
    const found = (await this.#shared.definitions.resources()).find(
      (r) => r.kind === kind && writtenNameOf(r) === name,
    );
    return found === undefined ? undefined : structuredClone(found);
  }

  async addVariant(flagKey: string, variant: Variant | VariantOptions): Promise<FeatureFlag> {
    return targeting.addVariant(this.#shared, flagKey, variant);
  }

  async removeVariant(flagKey: string, variantName: string): Promise<FeatureFlag> {
    return targeting.removeVariant(this.#shared, flagKey, variantName);
  }

  // ---- environments and rollout
  async setEnvironmentOverride(
    flagKey: string,
    environment: string,
    override: EnvironmentOverride,
  ): Promise<FeatureFlag> {
    return targeting.setEnvironmentOverride(this.#shared, flagKey, environment, override);
  }

  async removeEnvironmentOverride(flagKey: string, environment: string): Promise<FeatureFlag> {
    return targeting.removeEnvironmentOverride(this.#shared, flagKey, environment);
  }

  async setRolloutPercentage(flagKey: string, percentage: number, environment?: string): Promise<FeatureFlag> {
    return targeting.setRolloutPercentage(this.#shared, flagKey, percentage, environment);
  }

  // ---- evaluation
  /** The flag's value for this context; `defaultValue` (or undefined) when it cannot be evaluated. */
  async evaluateFlag(flagKey: string, context?: ContextLike, defaultValue?: JsonValue): Promise<JsonValue | undefined> {
    return (await this.evaluateFlagDetailed(flagKey, context, defaultValue)).value;
  }

  /** Value, variant and reason (plus errorCode and errorMessage when evaluation failed). Never throws for bad input. */
  async evaluateFlagDetailed(
    flagKey: string,
    context?: ContextLike,
    defaultValue?: JsonValue,
  ): Promise<EvaluationDetails> {
    const stored = await this.#storedFlagName(flagKey);
    const details = await this.#shared.evaluations.evaluate(this.environment, stored, context, defaultValue);
    return stored === flagKey ? details : { ...details, key: flagKey };
  }

  /** The snapshot key of the flag the user calls `key` (`new_checkout` → `new-checkout`). */
  async #storedFlagName(key: string): Promise<string> {
    if (typeof key !== "string" || isResourceName(key)) return key;
    const found = (await this.#shared.definitions.resources()).find(
      (r) => r.kind === "FeatureFlag" && writtenNameOf(r) === key,
    );
    return found?.metadata.name ?? key;
  }

  // ---- audit, analytics, webhooks, SDKs
  async getAuditLog(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return queryAudit(await this.#shared.storage.readAudit(), query);
  }

  /** Evaluation counts for one flag, or for every evaluated flag: from the usage ledger when configured, else this instance's. */
  async getAnalytics(flagKey: string): Promise<FlagAnalytics>;
  async getAnalytics(): Promise<Record<string, FlagAnalytics>>;
  async getAnalytics(flagKey?: string): Promise<FlagAnalytics | Record<string, FlagAnalytics>> {
    return this.#shared.analytics.durable(flagKey);
  }

  /** Flags that can be removed (never evaluated, not evaluated for staleAfter, one variant for 30 days), by owner. */
  async getStaleFlags(options: StaleOptions = {}): Promise<StaleReport> {
    const { analytics, clock, namespace } = this.#shared;
    const all = (await this.#shared.definitions.resources()).filter((r): r is FeatureFlag => r.kind === "FeatureFlag");
    const now = clock();
    const usage =
      analytics.ledger !== undefined
        ? await analytics.ledger.read(namespace ?? "default", now - SINGLE_VARIANT_MS)
        : Object.values(analytics.all()).map(memoryUsage);
    return staleReport(all.length, staleFlags(all, usage, namespace ?? "default", now, options));
  }

  /** An experiment's results from the event store (exposures, conversions, lift, significance, recommendation). */
  async getExperimentResults(name: string): Promise<ExperimentResults> {
    return experimentResultsOf(this.#shared.experiments, name);
  }

  /** Unique exposed users per variant of a flag, per experiment that ran on it, with each experiment's results. */
  async getVariantAnalytics(flagKey: string): Promise<VariantAnalytics> {
    checkName("flag", flagKey);
    return variantAnalyticsOf(this.#shared.experiments, flagKey);
  }

  /** Register a receiver of signed change notifications; returns its id and delivery counters. */
  async addWebhook(options: WebhookOptions): Promise<WebhookStatus> {
    ensureOpen(this.#shared);
    return this.#shared.webhooks.add(options);
  }

  async removeWebhook(id: string): Promise<boolean> {
    return this.#shared.webhooks.remove(id);
  }

  async listWebhooks(): Promise<WebhookStatus[]> {
    return this.#shared.webhooks.list();
  }

  /** Resolves when every queued notification was delivered or gave up. */
  async flushWebhooks(): Promise<void> {
    return this.#shared.webhooks.idle();
  }

  /**
   * A package for the current flags in one language ("typescript", "javascript", "python", "java"
   * or "go"): typed accessors on the language's OpenFeature SDK plus the Vexil provider. Returns
   * the files; write them with your own code or use `vexil generate sdk`.
   */
  async generateSdk(language: string, options: SdkOptions = {}): Promise<GeneratedSdk> {
    const all = (await this.#shared.definitions.resources()).filter((r): r is FeatureFlag => r.kind === "FeatureFlag");
    return generateSdkFiles(language, all, options);
  }

  /** Stop webhook delivery and release storage; later changes throw CLOSED. */
  async close(): Promise<void> {
    if (this.#shared.closed) return;
    this.#shared.closed = true;
    this.#shared.stopWatching?.();
    this.#shared.webhooks.close();
    await this.#shared.analytics.ledger?.close();
    await this.#shared.storage.close?.();
  }
}
