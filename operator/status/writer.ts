// Writes status subresources, only when they would change. Status writes produce watch
// events; the controller ignores events whose generation did not change, and this writer
// skips a patch when the live status (or the one it wrote last for the same
// resourceVersion, while the watch catches up) already says the same thing.
//
// Writes run in the background, at most `concurrency` at once and within the client-side
// request budget (RateLimiter), so a backlog of 10 000 statuses on a cold start is bounded
// and never delays the next snapshot write. Throttled (429) and failed (5xx, network) writes
// are retried with backoff.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from "@kubernetes/client-node";
import { describeError, isNotFound, statusCodeOf } from "../../kube/errors.ts";
import type { RateLimiter } from "../../kube/rate-limiter.ts";
import type { OperatorLogger } from "../logger.ts";
import type { OperatorMetrics } from "../metrics.ts";
import { GROUP, VERSION, pluralOf } from "../../kube/resources.ts";
import { keyOf, type LiveResource } from "../resources.ts";
import {
  desiredStatus,
  isReconcileCondition,
  statusMatches,
  type DesiredStatus,
  type EnvironmentOutcome,
} from "./desired.ts";

export interface StatusWriterOptions {
  custom: CustomObjectsApi;
  environments: readonly string[];
  metrics: OperatorMetrics;
  logger: OperatorLogger;
  /** parallel status patches. Default 32. */
  concurrency?: number;
  /** shared budget for background API writes; default unlimited */
  limiter?: RateLimiter;
  /** first retry delay of a throttled or failed write; doubles up to 30 s. Default 500 ms. */
  retryDelayMs?: number;
}

type OutcomesOf = (key: string) => ReadonlyMap<string, EnvironmentOutcome>;

/**
 * A status to write. The desired status itself is computed again when the write goes out (a
 * backlog of 10 000 waits tens of seconds for its budget; holding 10 000 computed statuses
 * that long only fed the old generation of the heap), from the outcomes as they are then.
 */
interface PendingStatus {
  live: LiveResource;
  outcomesOf: OutcomesOf;
  attempts: number;
}

const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const MAX_ATTEMPTS = 8;
const MAX_RETRY_DELAY_MS = 30_000;

export class StatusWriter {
  private readonly options: StatusWriterOptions;
  /** status written per resource, until the watch shows a newer resourceVersion */
  private readonly written = new Map<string, { resourceVersion: string; status: string }>();
  private readonly pending = new Map<string, PendingStatus>();
  /** fingerprints of writes in flight, so a reconcile meanwhile does not queue the same write again */
  private readonly inFlight = new Map<string, string>();
  private running = 0;
  private retrying = 0;

  constructor(options: StatusWriterOptions) {
    this.options = options;
  }

  /**
   * Queues status updates for these resources and returns at once. Only the newest desired
   * status per resource is kept.
   */
  schedule(resources: readonly LiveResource[], outcomesOf: OutcomesOf, now: Date): void {
    for (const live of resources) {
      const key = keyOf(live);
      const desired = this.desiredFor(live, outcomesOf, now);
      if (desired === undefined) this.pending.delete(key);
      else if (!this.alreadyWritten(key, live, fingerprintOf(desired)))
        this.pending.set(key, { live, outcomesOf, attempts: 0 });
    }
    this.startWriters();
  }

  /** The status this resource should have, or undefined when its live status already says so. */
  private desiredFor(live: LiveResource, outcomesOf: OutcomesOf, now: Date): DesiredStatus | undefined {
    const previous = (live.status?.conditions ?? undefined) as Parameters<typeof desiredStatus>[4];
    const desired = desiredStatus(
      live.kind,
      live.metadata.generation ?? 0,
      this.options.environments,
      outcomesOf(keyOf(live)),
      previous,
      now,
    );
    return statusMatches(live.status, desired) ? undefined : desired;
  }

  /** Written for this resourceVersion already (the watch has not caught up), or being written now. */
  private alreadyWritten(key: string, live: LiveResource, fingerprint: string): boolean {
    const memo = this.written.get(key);
    if (memo && memo.resourceVersion === live.metadata.resourceVersion && memo.status === fingerprint) return true;
    return this.inFlight.get(key) === fingerprint;
  }

  /** A resource arrived from the watch: what we wrote for an older resourceVersion is no longer needed. */
  observe(live: LiveResource): void {
    const key = keyOf(live);
    const memo = this.written.get(key);
    if (memo && memo.resourceVersion !== live.metadata.resourceVersion) this.written.delete(key);
  }

  forget(key: string): void {
    this.written.delete(key);
    this.pending.delete(key);
  }

  /** Resolves when no status write is pending, in flight or waiting to be retried. */
  async idle(pollMs = 20): Promise<void> {
    while (this.pending.size > 0 || this.running > 0 || this.retrying > 0)
      await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  private startWriters(): void {
    while (this.running < (this.options.concurrency ?? 32) && this.pending.size > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      while (this.pending.size > 0) {
        // wait for budget before choosing what to write, so the newest desired status is the one sent
        await this.options.limiter?.take();
        const next = this.take();
        if (!next) break;
        await this.write(...next);
      }
    } finally {
      this.running--;
    }
  }

  private take(): [string, PendingStatus] | undefined {
    const first = this.pending.entries().next();
    if (first.done) return undefined;
    this.pending.delete(first.value[0]);
    return first.value;
  }

  private async write(key: string, item: PendingStatus): Promise<void> {
    const desired = this.desiredFor(item.live, item.outcomesOf, new Date());
    if (!desired) return;
    const fingerprint = fingerprintOf(desired);
    if (this.alreadyWritten(key, item.live, fingerprint)) return;
    this.inFlight.set(key, fingerprint);
    try {
      await this.patch(item.live, desired);
      this.options.metrics.statusPatches.inc();
      this.written.set(key, { resourceVersion: item.live.metadata.resourceVersion ?? "", status: fingerprint });
    } catch (error) {
      if (isNotFound(error)) return; // deleted meanwhile
      const { kind, metadata } = item.live;
      const where = { kind, name: metadata.name, namespace: metadata.namespace, err: describeError(error) };
      if (!retryable(error) || item.attempts + 1 >= MAX_ATTEMPTS) {
        this.options.logger.warn(
          { ...where, attempts: item.attempts + 1 },
          "status update failed; the next resync retries it",
        );
        return;
      }
      this.options.logger.debug({ ...where, attempts: item.attempts + 1 }, "status update failed; retrying");
      this.retryLater(key, { ...item, attempts: item.attempts + 1 });
    } finally {
      if (this.inFlight.get(key) === fingerprint) this.inFlight.delete(key);
    }
  }

  private retryLater(key: string, item: PendingStatus): void {
    const delay = Math.min((this.options.retryDelayMs ?? 500) * 2 ** (item.attempts - 1), MAX_RETRY_DELAY_MS);
    this.retrying++;
    setTimeout(() => {
      this.retrying--;
      // a reconcile meanwhile may have queued a newer status: that one wins
      if (!this.pending.has(key)) this.pending.set(key, item);
      this.startWriters();
    }, delay).unref();
  }

  private async patch(live: LiveResource, desired: DesiredStatus): Promise<void> {
    // no status in our copy: merge it in, so fields another writer set meanwhile (an
    // Experiment's results, written by the analysis) survive; "add /status" would replace them
    if (!live.status) {
      await this.options.custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          plural: pluralOf(live.kind),
          namespace: live.metadata.namespace,
          name: live.metadata.name,
          body: { status: desired },
          fieldManager: "vexil-operator",
        },
        mergePatch,
      );
      return;
    }
    // JSON patch "add" replaces each member whole, so conditions and environments that no
    // longer apply disappear (a merge patch would keep stale keys unless nulled one by one)
    // conditions other writers own (the experiment analysis) are carried over as they are
    const kept = ((live.status?.conditions ?? []) as { type: string }[]).filter((c) => !isReconcileCondition(c.type));
    const conditions = [...desired.conditions, ...kept];
    const ops: { op: "add"; path: string; value: unknown }[] = [
      { op: "add", path: "/status/observedGeneration", value: desired.observedGeneration },
      { op: "add", path: "/status/conditions", value: conditions },
    ];
    if (desired.environments) ops.push({ op: "add", path: "/status/environments", value: desired.environments });
    await this.options.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        plural: pluralOf(live.kind),
        namespace: live.metadata.namespace,
        name: live.metadata.name,
        body: ops,
        fieldManager: "vexil-operator",
      },
      jsonPatch,
    );
  }
}

function fingerprintOf(desired: DesiredStatus): string {
  return JSON.stringify(desired, (name, value) => (name === "lastTransitionTime" ? undefined : value));
}

/** Throttled (429), server-side failures and lost connections are worth another try; 4xx otherwise is not. */
function retryable(error: unknown): boolean {
  const code = statusCodeOf(error);
  return code === undefined || code === 429 || code >= 500;
}
