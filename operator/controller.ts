// Turns watch events into namespace × environment keys on the work queue and runs the
// workers that reconcile them, only while this replica leads. Status-only updates (same
// generation) and the ConfigMap events our own writes cause are not work.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { ENVIRONMENT_LABEL } from "../core/snapshot/configmap-format.ts";
import { observeSpecChange } from "./audit/observer.ts";
import { describeError } from "../kube/errors.ts";
import type { WatchEventType } from "../kube/list-watch.ts";
import type { WorkQueue } from "./queue.ts";
import { reconcileEnvironment, type ReconcilerDeps } from "./reconcile/reconcile.ts";
import { generationOf, keyOf, type LiveResource } from "./resources.ts";

export function queueKey(namespace: string, environment: string): string {
  return `${namespace}/${environment}`;
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** Our own ConfigMap writes, remembered until their watch event arrives; bounded so it cannot leak. */
const MAX_OWN_WRITES = 10_000;

export class Controller {
  private readonly deps: ReconcilerDeps;
  private readonly queue: WorkQueue;
  private leading = false;
  private workers: Promise<void>[] = [];
  private inFlight = 0;

  constructor(deps: ReconcilerDeps, queue: WorkQueue) {
    this.deps = deps;
    this.queue = queue;
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /**
   * Starts `count` workers once `synced` resolves (reconciling with half-filled caches would
   * report segments as missing); they process keys only while leading.
   */
  start(count: number, synced: Promise<void>): void {
    for (let i = 0; i < count; i++) this.workers.push(synced.then(() => this.work()));
  }

  setLeading(leading: boolean): void {
    this.leading = leading;
    if (leading) this.resync();
  }

  /** Queues every namespace × environment we know of (on leadership, and periodically). */
  resync(): void {
    for (const namespace of this.deps.informers.namespaces()) {
      for (const environment of this.deps.environments) this.queue.add(queueKey(namespace, environment));
    }
  }

  onResource(type: WatchEventType, live: LiveResource, previous: LiveResource | undefined): void {
    if (type === "upsert") this.deps.status.observe(live);
    if (type === "upsert" && previous && generationOf(previous) === generationOf(live)) return;
    if (type === "delete") {
      this.deps.outcomes.forget(keyOf(live));
      this.deps.status.forget(keyOf(live));
      this.deps.guardrails?.forget(live);
    }
    if (!this.leading) return;
    observeSpecChange(
      {
        recorder: this.deps.recorder,
        metrics: this.deps.metrics,
        onChange: (record) => this.deps.attributions?.add(record, this.deps.environments),
      },
      type,
      live,
      previous,
      this.deps.now(),
    );
    for (const environment of this.deps.environments) this.queue.add(queueKey(live.metadata.namespace, environment));
  }

  onConfigMap(type: WatchEventType, configMap: V1ConfigMap): void {
    const resourceVersion = configMap.metadata?.resourceVersion;
    if (type === "upsert" && resourceVersion && this.deps.ownWrites.delete(resourceVersion)) return;
    if (this.deps.ownWrites.size > MAX_OWN_WRITES) this.deps.ownWrites.clear();
    const environment = configMap.metadata?.labels?.[ENVIRONMENT_LABEL];
    const namespace = configMap.metadata?.namespace;
    if (!this.leading || !environment || !namespace || !this.deps.environments.includes(environment)) return;
    this.queue.add(queueKey(namespace, environment));
  }

  /** Resolves when no key is queued or being reconciled (tests and benchmarks). */
  async idle(pollMs = 20): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
    await this.deps.status.idle(pollMs);
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      this.inFlight++;
      try {
        if (this.leading) await this.process(key);
      } finally {
        this.inFlight--;
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    const [namespace, environment] = splitKey(key);
    const { metrics, logger } = this.deps;
    const end = metrics.reconcileDuration.startTimer();
    try {
      const result = await reconcileEnvironment(this.deps, namespace, environment);
      end({ outcome: result.outcome });
      metrics.reconciles.inc({ outcome: result.outcome });
      this.queue.forget(key);
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      end({ outcome: "error" });
      metrics.reconciles.inc({ outcome: "error" });
      const retryInMs = this.queue.addRateLimited(key);
      logger.error({ namespace, environment, err: describeError(error), retryInMs }, "reconcile failed");
    }
  }
}
