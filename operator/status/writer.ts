// Writes status subresources, only when they would change. Status writes produce watch
// events; the controller ignores events whose generation did not change, and this writer
// skips a patch when the live status (or the one it wrote last for the same
// resourceVersion, while the watch catches up) already says the same thing.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import { describeError, isNotFound } from '../kube/errors.ts';
import type { OperatorLogger } from '../logger.ts';
import type { OperatorMetrics } from '../metrics.ts';
import { GROUP, VERSION, keyOf, pluralOf, type LiveResource } from '../resources.ts';
import { desiredStatus, statusMatches, type DesiredStatus, type EnvironmentOutcome } from './desired.ts';

export interface StatusWriterOptions {
  custom: CustomObjectsApi;
  environments: readonly string[];
  metrics: OperatorMetrics;
  logger: OperatorLogger;
  /** parallel status patches. Default 16. */
  concurrency?: number;
}

interface PendingStatus {
  live: LiveResource;
  desired: DesiredStatus;
  fingerprint: string;
}

const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export class StatusWriter {
  private readonly options: StatusWriterOptions;
  private readonly written = new Map<string, { resourceVersion: string; status: string }>();
  private readonly pending = new Map<string, PendingStatus>();
  private running = 0;

  constructor(options: StatusWriterOptions) {
    this.options = options;
  }

  /**
   * Queues status updates for these resources and returns at once: a backlog of status
   * writes (10 000 flags on a cold start) must never delay the next snapshot write. Only the
   * newest desired status per resource is kept.
   */
  schedule(
    resources: readonly LiveResource[],
    outcomesOf: (key: string) => ReadonlyMap<string, EnvironmentOutcome>,
    now: Date,
  ): void {
    for (const live of resources) {
      const key = keyOf(live);
      const generation = live.metadata.generation ?? 0;
      const previous = (live.status?.conditions ?? undefined) as Parameters<typeof desiredStatus>[4];
      const desired = desiredStatus(live.kind, generation, this.options.environments, outcomesOf(key), previous, now);
      if (statusMatches(live.status, desired)) {
        this.pending.delete(key);
        continue;
      }
      const fingerprint = JSON.stringify(desired, (name, value) => (name === 'lastTransitionTime' ? undefined : value));
      const memo = this.written.get(key);
      if (memo && memo.resourceVersion === live.metadata.resourceVersion && memo.status === fingerprint) continue;
      this.pending.set(key, { live, desired, fingerprint });
    }
    while (this.running < (this.options.concurrency ?? 16) && this.pending.size > 0) void this.drain();
  }

  /** Resolves when no status write is pending or in flight. */
  async idle(pollMs = 20): Promise<void> {
    while (this.pending.size > 0 || this.running > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      for (let next = this.take(); next; next = this.take()) {
        const [key, { live, desired, fingerprint }] = next;
        if (await this.patch(live, desired)) this.written.set(key, { resourceVersion: live.metadata.resourceVersion ?? '', status: fingerprint });
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

  forget(key: string): void {
    this.written.delete(key);
    this.pending.delete(key);
  }

  private async patch(live: LiveResource, desired: DesiredStatus): Promise<boolean> {
    const ops: { op: 'add'; path: string; value: unknown }[] = live.status
      ? [
          { op: 'add', path: '/status/observedGeneration', value: desired.observedGeneration },
          { op: 'add', path: '/status/conditions', value: desired.conditions },
        ]
      : [{ op: 'add', path: '/status', value: desired }];
    if (live.status && desired.environments) ops.push({ op: 'add', path: '/status/environments', value: desired.environments });
    try {
      await this.options.custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          plural: pluralOf(live.kind),
          namespace: live.metadata.namespace,
          name: live.metadata.name,
          body: ops,
          fieldManager: 'vexil-operator',
        },
        jsonPatch,
      );
      this.options.metrics.statusPatches.inc();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false; // deleted meanwhile
      this.options.logger.warn({ err: describeError(error), kind: live.kind, name: live.metadata.name, namespace: live.metadata.namespace }, 'status update failed');
      return false;
    }
  }
}
