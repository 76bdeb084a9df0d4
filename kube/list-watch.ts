// A list+watch loop that never gives up. client-node's informer stops on any non-410 error
// and leaves restarting to the caller; this loop lists (paginated), watches from the list's
// resourceVersion, resumes from the last seen resourceVersion after a dropped connection,
// relists after 410 Gone, and backs off exponentially while the API server is unreachable.
// It keeps a cache by namespace and name and reports upserts and deletes (including objects
// that vanished while the watch was down, found by diffing the relist against the cache).
import type { KubernetesObject, Watch } from "@kubernetes/client-node";
import { describeError, isGone } from "./errors.ts";

export interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string; _continue?: string; continue?: string };
}

export type WatchEventType = "upsert" | "delete";

export interface ListWatchOptions<T extends KubernetesObject> {
  /** For logs, e.g. "featureflags". */
  name: string;
  list: (continueToken: string | undefined) => Promise<ListPage<T>>;
  watch: Watch;
  /** API path to watch, e.g. /apis/flags.vexil.dev/v1alpha1/featureflags. */
  path: string;
  labelSelector?: string;
  onEvent: (type: WatchEventType, object: T, previous: T | undefined) => void;
  /**
   * Applied to every listed or watched object before it is cached: keep only what the
   * caller reads (the cache holds every object for the life of the process).
   */
  transform?: (object: T) => T;
  /** After each complete (re)list. */
  onSynced?: () => void;
  /** After a watch or list failed and the loop is about to retry. */
  onRestart?: (reason: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  pageSize?: number;
}

export function objectKey(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}

export class ListWatch<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private resourceVersion: string | undefined;
  private stopped = false;
  private synced = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly options: ListWatchOptions<T>;

  constructor(options: ListWatchOptions<T>) {
    this.options = options;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.objects.values()];
    return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
  }

  private async run(): Promise<void> {
    let backoff = this.options.initialBackoffMs ?? 500;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const healthy = await this.watchOnce();
        if (healthy) backoff = this.options.initialBackoffMs ?? 500;
      } catch (error) {
        if (this.stopped) break;
        if (isGone(error)) {
          this.resourceVersion = undefined; // history compacted: start over from a fresh list
          this.options.onRestart?.(`${this.options.name}: resourceVersion too old, relisting`);
          continue;
        }
        this.options.onRestart?.(`${this.options.name}: ${describeError(error)}; retrying in ${backoff} ms`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }

  /** Waits between retries; stop() cuts the wait short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async relist(): Promise<void> {
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.options.list(continueToken);
      for (const item of page.items) seen.set(objectKey(item), this.transform(item));
      resourceVersion = page.metadata?.resourceVersion;
      continueToken = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
    } while (continueToken);
    for (const [key, previous] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        this.options.onEvent("delete", previous, previous);
      }
    }
    for (const [key, object] of seen) {
      const previous = this.objects.get(key);
      this.objects.set(key, object);
      if (previous?.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        this.options.onEvent("upsert", object, previous);
      }
    }
    this.resourceVersion = resourceVersion ?? "";
    this.synced = true;
    this.options.onSynced?.();
  }

  /** Resolves when the server ends the watch (true if events flowed); rejects on errors. */
  private watchOnce(): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let received = false;
      const query: Record<string, string | boolean | number> = {
        allowWatchBookmarks: true,
        resourceVersion: this.resourceVersion ?? "",
        timeoutSeconds: 300,
      };
      if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
      const onEvent = (type: string, object: T & { code?: number }): void => {
        received = true;
        if (type === "ERROR") {
          reject(Object.assign(new Error(`watch error: ${JSON.stringify(object)}`), { code: object.code }));
          this.abort?.abort();
          return;
        }
        if (object?.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
        if (type === "BOOKMARK") return;
        this.apply(type, object);
      };
      const done = (error: unknown): void => {
        if (error && !this.stopped && !isTimeout(error)) reject(error);
        else resolve(received || !error);
      };
      this.options.watch
        .watch(this.options.path, query, onEvent, done)
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        })
        .catch(reject);
    });
  }

  private transform(object: T): T {
    return this.options.transform ? this.options.transform(object) : object;
  }

  private apply(type: string, received: T): void {
    const object = this.transform(received);
    const key = objectKey(object);
    const previous = this.objects.get(key);
    if (type === "DELETED") {
      this.objects.delete(key);
      this.options.onEvent("delete", object, previous);
      return;
    }
    this.objects.set(key, object);
    this.options.onEvent("upsert", object, previous);
  }
}

/** client-node aborts a watch after 30 s without data; that is a reconnect, not a failure. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}
