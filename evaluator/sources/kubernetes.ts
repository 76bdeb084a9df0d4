// Snapshot ConfigMaps read through a watch on the API server (not a volume mount, which lags
// by a minute). The informer keeps a cache of the environment's ConfigMaps; after every
// change the set is decoded, and only a complete, hash-consistent set replaces the snapshot.
// client-node informers stop on errors: we restart them with exponential backoff and keep
// serving the last good snapshot meanwhile.
import { CoreV1Api, makeInformer, type Informer, type KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import type { ObjectCache } from "@kubernetes/client-node";
import { makePooledApiClient, PooledAuthentication } from "../../kube/client.ts";
import { describeError } from "../../kube/errors.ts";
import { loadKubeConfig } from "../../kube/kubeconfig.ts";
import type { Logger } from "../logger.ts";
import {
  ENVIRONMENT_LABEL,
  ROLE_LABEL,
  decodeSnapshot,
  indexConfigMapName,
  parseSnapshotIndex,
} from "../../core/snapshot/configmap-format.ts";
import { SnapshotHolder } from "./source.ts";

export interface KubernetesSourceOptions {
  /** a kubeconfig file or a loaded KubeConfig; default: $KUBECONFIG, in-cluster, then ~/.kube/config */
  kubeconfig?: string | KubeConfig;
  namespace: string;
  environment: string;
  logger?: Logger;
  /** first restart delay after a watch error; doubles up to maxBackoffMs */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** coalesce the burst of events the operator's shard+index writes cause */
  settleMs?: number;
}

export class KubernetesSnapshotSource extends SnapshotHolder {
  readonly description: string;
  readonly #options: KubernetesSourceOptions;
  readonly #informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
  #attempt = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #settleTimer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: KubernetesSourceOptions) {
    super();
    this.#options = options;
    const { namespace, environment } = options;
    const kubeConfig = loadKubeConfig(options.kubeconfig);
    this.description = `kubernetes ConfigMaps ${namespace}/${indexConfigMapName(environment)}`;
    // the operator's pooled connection: one TLS handshake for every relist, not one per call
    const api = makePooledApiClient(kubeConfig, new PooledAuthentication(kubeConfig), CoreV1Api, "vexil-evaluator");
    const labelSelector = `${ENVIRONMENT_LABEL}=${environment}`;
    const list = async () => {
      const result = await api.listNamespacedConfigMap({ namespace, labelSelector });
      this.#attempt = 0; // the API server answered: the next failure starts the backoff afresh
      return result;
    };
    this.#informer = makeInformer(kubeConfig, `/api/v1/namespaces/${namespace}/configmaps`, list, labelSelector);
    this.#informer.on("change", () => this.#scheduleRebuild());
    this.#informer.on("error", (error: unknown) => this.#restart(error));
  }

  /** Starts the list+watch; resolves even when the API server is unreachable (retries in the background). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#informer.start();
    this.#rebuild();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#settleTimer);
    await this.#informer.stop();
  }

  #restart(error: unknown): void {
    if (this.#stopped) return;
    const message = describeError(error);
    const base = this.#options.initialBackoffMs ?? 500;
    const max = this.#options.maxBackoffMs ?? 30_000;
    // exponential backoff with ±20 % jitter so a fleet of evaluators does not retry in lockstep
    const delay = Math.min(max, base * 2 ** this.#attempt) * (0.8 + Math.random() * 0.4);
    this.#attempt += 1;
    this.emit("watchRestart", message);
    this.#options.logger?.warn(
      { err: message, retryInMs: Math.round(delay), attempt: this.#attempt },
      "ConfigMap watch failed; serving the last good snapshot and retrying",
    );
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (!this.#stopped) void this.#informer.start().then(() => this.#rebuild());
    }, delay);
    this.#restartTimer.unref();
  }

  #scheduleRebuild(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => this.#rebuild(), this.#options.settleMs ?? 25);
  }

  #rebuild(): void {
    if (this.#stopped) return;
    const { namespace, environment, logger } = this.#options;
    const configMaps = this.#informer.list(namespace);
    const index = configMaps.find(
      (cm) => cm.metadata?.name === indexConfigMapName(environment) && cm.metadata.labels?.[ROLE_LABEL] === "index",
    );
    if (index === undefined) {
      logger?.info({ namespace, environment }, "no snapshot index ConfigMap yet; waiting for the operator");
      return;
    }
    try {
      if (parseSnapshotIndex(index).hash === this.current()?.hash) return;
      const snapshot = decodeSnapshot(index, configMaps);
      if (snapshot.environment !== environment || snapshot.namespace !== namespace) {
        throw new Error(
          `index names ${snapshot.namespace}/${snapshot.environment}, expected ${namespace}/${environment}`,
        );
      }
      this.offer(snapshot);
      logger?.info(
        { hash: snapshot.hash, flags: Object.keys(snapshot.flags).length },
        "snapshot loaded from ConfigMaps",
      );
    } catch (error) {
      const detail = describeError(error);
      // usually a half-written set: the next event completes it
      logger?.info({ err: detail }, "snapshot ConfigMaps are not consistent yet; keeping the last good snapshot");
      this.reject("invalid", detail);
    }
  }
}
