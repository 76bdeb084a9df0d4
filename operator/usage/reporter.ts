// The leader's usage pass: every analysis interval it reads each namespace's flag usage from
// the event store (the evaluators' hourly rollups) and writes FeatureFlag status.usage and the
// Stale condition, only where they changed. Reconciles carry the Stale condition over untouched
// (it is not theirs), and this pass carries theirs over.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from "@kubernetes/client-node";
import type { StatusCondition } from "../../core/schema/index.ts";
import { DAY_MS, SINGLE_VARIANT_MS, staleness, type StaleOptions } from "../../core/usage/stale.ts";
import type { EventStore, FlagUsage } from "../../event-store/store.ts";
import { describeError } from "../../kube/errors.ts";
import type { Informers } from "../informers.ts";
import type { OperatorLogger } from "../logger.ts";
import { GROUP, VERSION } from "../../kube/resources.ts";
import type { LiveResource } from "../resources.ts";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export interface UsageReporterOptions extends StaleOptions {
  store: EventStore;
  custom: CustomObjectsApi;
  informers: Informers;
  logger: OperatorLogger;
  isLeading: () => boolean;
  now?: () => Date;
}

type FlagCondition = Omit<StatusCondition, "type"> & { type: string };

export class UsageReporter {
  readonly #options: UsageReporterOptions;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(options: UsageReporterOptions) {
    this.#options = options;
  }

  start(intervalMs: number): this {
    this.#timer = setInterval(() => void this.reportNow(), intervalMs);
    this.#timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every flag (skipped when not leading, or while a pass runs). */
  reportNow(): Promise<void> {
    if (!this.#options.isLeading() || !this.#options.informers.hasSynced()) return Promise.resolve();
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<void> {
    const now = (this.#options.now ?? (() => new Date()))();
    for (const namespace of this.#options.informers.namespaces()) {
      const flags = this.#options.informers.list("FeatureFlag", namespace);
      if (flags.length === 0) continue;
      let day: Map<string, FlagUsage>;
      let month: Map<string, FlagUsage>;
      try {
        const since = (ms: number) => ({ namespace, since: now.getTime() - ms });
        day = byFlag(await this.#options.store.usage(since(DAY_MS)));
        month = byFlag(await this.#options.store.usage(since(SINGLE_VARIANT_MS)));
        this.#recovered();
      } catch (error) {
        this.#failed(error);
        return;
      }
      for (const flag of flags)
        await this.#report(flag, day.get(flag.metadata.name), month.get(flag.metadata.name), now);
    }
  }

  async #report(
    live: LiveResource,
    day: FlagUsage | undefined,
    month: FlagUsage | undefined,
    now: Date,
  ): Promise<void> {
    const usage = usageStatus(day);
    const condition = staleCondition(live, month, now, this.#options);
    const previous = (live.status?.conditions ?? []) as FlagCondition[];
    const before = previous.find((c) => c.type === "Stale");
    const sameCondition =
      before !== undefined &&
      before.status === condition.status &&
      before.reason === condition.reason &&
      before.message === condition.message;
    if (sameCondition && JSON.stringify(live.status?.usage ?? null) === JSON.stringify(usage)) return;
    if (sameCondition) condition.lastTransitionTime = before.lastTransitionTime;
    else if (before?.status === condition.status) condition.lastTransitionTime = before.lastTransitionTime;
    const conditions = [...previous.filter((c) => c.type !== "Stale"), condition];
    try {
      await this.#options.custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          plural: "featureflags",
          namespace: live.metadata.namespace,
          name: live.metadata.name,
          body: { status: { usage, conditions } },
          fieldManager: "vexil-operator",
        },
        mergePatch,
      );
    } catch (error) {
      this.#options.logger.warn(
        { flag: live.metadata.name, namespace: live.metadata.namespace, err: describeError(error) },
        "flag usage status update failed; retried next interval",
      );
    }
  }

  #failed(error: unknown): void {
    if (!this.#failing) {
      const fields = { store: this.#options.store.description, err: describeError(error) };
      this.#options.logger.warn(
        fields,
        "flag usage report failed (event store unreachable?); statuses keep their usage",
      );
    }
    this.#failing = true;
  }

  #recovered(): void {
    if (this.#failing)
      this.#options.logger.info({ store: this.#options.store.description }, "flag usage report resumed");
    this.#failing = false;
  }
}

function byFlag(usage: readonly FlagUsage[]): Map<string, FlagUsage> {
  return new Map(usage.map((u) => [u.flag, u]));
}

/** Whole seconds: the status changes when usage does, not with every millisecond. */
export function usageStatus(day: FlagUsage | undefined): Record<string, unknown> {
  const status: Record<string, unknown> = { evaluations24h: day?.evaluations ?? 0 };
  if (day !== undefined && day.lastEvaluatedAt > 0) {
    status.lastEvaluatedAt = new Date(day.lastEvaluatedAt).toISOString().replace(/\.\d+Z$/, "Z");
    status.variants24h = day.byVariant;
  }
  return status;
}

export function staleCondition(
  live: LiveResource,
  month: FlagUsage | undefined,
  now: Date,
  options: StaleOptions,
): FlagCondition {
  const created = live.metadata.creationTimestamp;
  const spec = (live.spec ?? {}) as { staleAfter?: string };
  const verdict = staleness(
    {
      ...(created !== undefined ? { createdAt: new Date(created).getTime() } : {}),
      ...(month !== undefined
        ? { lastEvaluatedAt: month.lastEvaluatedAt, firstEvaluatedAt: month.firstEvaluatedAt }
        : {}),
      variantsLast30d: month?.byVariant ?? {},
      ...(spec.staleAfter !== undefined ? { staleAfter: spec.staleAfter } : {}),
    },
    now.getTime(),
    options,
  );
  return {
    type: "Stale",
    status: verdict.stale ? "True" : "False",
    reason: verdict.reason,
    message: verdict.message,
    lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, "Z"),
    ...(live.metadata.generation !== undefined ? { observedGeneration: live.metadata.generation } : {}),
  };
}
