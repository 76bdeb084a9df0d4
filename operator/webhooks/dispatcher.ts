// Sends snapshot.updated webhooks after reconciles that change what is served. Delivery runs
// in the background through the shared WebhookDispatcher of webhooks/ (Standard Webhooks signing,
// per-receiver bounded queue, exponential backoff): a slow or dead receiver never delays a
// reconcile. Endpoints and secret are re-read from the cluster at most every refreshMs.
import type { CoreV1Api } from "@kubernetes/client-node";
import { WebhookDispatcher, type WebhookDeliveryPolicy } from "../../webhooks/dispatcher.ts";
import { describeError } from "../../kube/errors.ts";
import type { OperatorLogger } from "../logger.ts";
import type { OperatorMetrics } from "../metrics.ts";
import { readWebhookConfig, type WebhookConfig, type WebhookEndpoint, type WebhookEventType } from "./config.ts";
import { deliveryId, snapshotUpdatedBody, type SnapshotChange } from "./payload.ts";

export interface SnapshotWebhooksOptions {
  core: CoreV1Api;
  namespace: string;
  configMap?: string;
  secret?: string;
  metrics: OperatorMetrics;
  logger: OperatorLogger;
  policy?: Omit<WebhookDeliveryPolicy, "onOutcome">;
  refreshMs?: number;
}

/** One signed delivery: the id is stable across retries and restarts so receivers can drop duplicates. */
export interface WebhookMessage {
  type: WebhookEventType;
  id: string;
  body: string;
  namespace: string;
  environment: string;
}

export const DEFAULT_WEBHOOK_CONFIGMAP = "vexil-webhooks";
export const DEFAULT_WEBHOOK_SECRET = "vexil-webhook-secret";

/** Retries for about five minutes by default: long enough to ride out a receiver's restart. */
const DEFAULT_POLICY: Omit<WebhookDeliveryPolicy, "onOutcome"> = {
  attempts: 12,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 5_000,
};

export class SnapshotWebhooks {
  private readonly options: SnapshotWebhooksOptions;
  private readonly receivers = new Map<string, { endpoint: WebhookEndpoint; dispatcher: WebhookDispatcher }>();
  private config: WebhookConfig = { endpoints: [] };
  private loadedAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private warnedNoSecret = false;
  private closed = false;

  constructor(options: SnapshotWebhooksOptions) {
    this.options = options;
  }

  /** Queue a notification; returns at once. */
  enqueue(change: SnapshotChange): void {
    this.send({
      type: "snapshot.updated",
      id: deliveryId(change),
      body: snapshotUpdatedBody(change),
      namespace: change.namespace,
      environment: change.environment,
    });
  }

  /** Queue any signed notification (experiment.updated, ...); returns at once. */
  send(message: WebhookMessage): void {
    if (this.closed) return;
    this.chain = this.chain
      .then(() => this.publish(message))
      .catch((error: unknown) => {
        this.options.logger.warn({ err: describeError(error) }, "webhook publish failed");
      });
  }

  /** Resolves when everything queued so far has been delivered, failed or dropped. */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.receivers.values()].map(({ dispatcher }) => dispatcher.idle()));
  }

  close(): void {
    this.closed = true;
    for (const { dispatcher } of this.receivers.values()) dispatcher.close();
    this.receivers.clear();
  }

  private async publish(message: WebhookMessage): Promise<void> {
    await this.refresh();
    if (this.config.endpoints.length === 0) return;
    if (!this.config.secret) {
      if (!this.warnedNoSecret) {
        this.options.logger.error(
          { secret: this.options.secret ?? DEFAULT_WEBHOOK_SECRET, namespace: this.options.namespace },
          'webhook endpoints are configured but the signing Secret (key "secret") is missing: not sending unsigned webhooks',
        );
        this.warnedNoSecret = true;
      }
      return;
    }
    for (const { endpoint, dispatcher } of this.receivers.values()) {
      if (!wants(endpoint, message)) continue;
      dispatcher.publishRaw(message.id, message.body);
    }
  }

  private async refresh(): Promise<void> {
    if (Date.now() - this.loadedAt < (this.options.refreshMs ?? 10_000)) return;
    try {
      const config = await readWebhookConfig(this.options.core, this.options.namespace, {
        configMap: this.options.configMap ?? DEFAULT_WEBHOOK_CONFIGMAP,
        secret: this.options.secret ?? DEFAULT_WEBHOOK_SECRET,
      });
      this.loadedAt = Date.now();
      this.apply(config);
    } catch (error) {
      // keep the endpoints we had; the error names the ConfigMap field at fault
      this.options.logger.error({ err: describeError(error) }, "reading the webhook configuration failed");
    }
  }

  /** Keeps dispatchers (and their queues) for endpoints that did not change. */
  private apply(config: WebhookConfig): void {
    if (config.secret) this.warnedNoSecret = false;
    const wanted = new Map(
      config.endpoints.map((endpoint) => [`${config.secret}|${JSON.stringify(endpoint)}`, endpoint]),
    );
    for (const [key, receiver] of this.receivers) {
      if (!wanted.has(key)) {
        receiver.dispatcher.close();
        this.receivers.delete(key);
      }
    }
    for (const [key, endpoint] of wanted) {
      if (this.receivers.has(key) || !config.secret) continue;
      const dispatcher = new WebhookDispatcher({
        ...DEFAULT_POLICY,
        ...this.options.policy,
        onOutcome: (outcome, url, detail) => {
          this.options.metrics.webhookDeliveries.inc({ outcome });
          const log = outcome === "delivered" ? this.options.logger.debug : this.options.logger.warn;
          log.call(this.options.logger, { url, outcome, detail }, "webhook delivery");
        },
      });
      dispatcher.add({ url: endpoint.url, secret: config.secret });
      this.receivers.set(key, { endpoint, dispatcher });
    }
    this.config = config;
  }
}

function wants(endpoint: WebhookEndpoint, change: WebhookMessage): boolean {
  if (endpoint.events && !endpoint.events.includes(change.type)) return false;
  if (endpoint.namespaces && !endpoint.namespaces.includes(change.namespace)) return false;
  return !endpoint.environments || endpoint.environments.includes(change.environment);
}
