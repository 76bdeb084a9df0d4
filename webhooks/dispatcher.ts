// Webhook delivery over HTTP, the adapter behind core's WebhookDelivery port: signed change
// notifications (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature) sent in
// the background, so an API call only enqueues and a receiver that is slow or down never fails
// or delays a flag change. Each receiver has its own bounded queue (oldest dropped first when
// full) and retries with exponential backoff; a message keeps its webhook-id across retries so
// receivers can de-duplicate. The TypeScript API (api/) and the operator share it.
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { AUDIT_ACTIONS, type AuditEntry } from "../core/facade/audit.ts";
import { VexilError } from "../core/facade/errors.ts";
import {
  auditWebhookBody,
  type WebhookDelivery,
  type WebhookOptions,
  type WebhookOutcome,
  type WebhookStatus,
} from "../core/facade/webhooks.ts";

export interface WebhookDeliveryPolicy {
  /** tries per message, first included (default 6) */
  attempts?: number;
  /** delay before the first retry, doubled each time (default 500 ms) */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** per request (default 5 s) */
  timeoutMs?: number;
  /** pending messages per receiver (default 1000) */
  queueLimit?: number;
  /** told about every attempt's result, for metrics and logs (used by the operator) */
  onOutcome?: (outcome: WebhookOutcome, url: string, detail?: string) => void;
}

interface Message {
  id: string;
  body: string;
}

interface Receiver {
  status: WebhookStatus;
  signer: Webhook;
  queue: Message[];
  running: boolean;
}

const RETRYABLE = new Set([408, 425, 429]);

function checkOptions(options: WebhookOptions): Webhook {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new VexilError("INVALID_WEBHOOK", `webhook url "${options.url}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new VexilError("INVALID_WEBHOOK", `webhook url must be http or https (got ${url.protocol})`);
  }
  for (const event of options.events ?? []) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(event)) {
      throw new VexilError(
        "INVALID_WEBHOOK",
        `unknown webhook event "${event}"; use any of: ${AUDIT_ACTIONS.join(", ")}`,
      );
    }
  }
  try {
    return new Webhook(options.secret);
  } catch (error) {
    throw new VexilError(
      "INVALID_WEBHOOK",
      `webhook secret must be base64, optionally prefixed "whsec_" (${(error as Error).message})`,
    );
  }
}

export class WebhookDispatcher implements WebhookDelivery {
  readonly #receivers = new Map<string, Receiver>();
  readonly #policy: Required<Omit<WebhookDeliveryPolicy, "onOutcome">>;
  readonly #onOutcome: NonNullable<WebhookDeliveryPolicy["onOutcome"]>;
  readonly #closing = new AbortController();
  readonly #idleWaiters: (() => void)[] = [];

  constructor(policy: WebhookDeliveryPolicy = {}) {
    const { onOutcome, ...rest } = policy;
    this.#policy = {
      attempts: 6,
      initialDelayMs: 500,
      maxDelayMs: 30_000,
      timeoutMs: 5_000,
      queueLimit: 1000,
      ...rest,
    };
    this.#onOutcome = onOutcome ?? (() => undefined);
  }

  add(options: WebhookOptions): WebhookStatus {
    const signer = checkOptions(options);
    const status: WebhookStatus = {
      id: `wh_${randomUUID()}`,
      url: options.url,
      delivered: 0,
      failed: 0,
      dropped: 0,
      pending: 0,
    };
    if (options.events !== undefined) status.events = [...options.events];
    this.#receivers.set(status.id, { status, signer, queue: [], running: false });
    return { ...status };
  }

  remove(id: string): boolean {
    return this.#receivers.delete(id);
  }

  list(): WebhookStatus[] {
    return [...this.#receivers.values()].map((r) => ({ ...r.status, pending: r.queue.length + (r.running ? 1 : 0) }));
  }

  /** Queue `entry` for every interested receiver; returns at once. */
  publish(entry: AuditEntry): void {
    if (this.#closing.signal.aborted) return;
    const body = auditWebhookBody(entry);
    for (const receiver of this.#receivers.values()) {
      const events = receiver.status.events;
      if (events !== undefined && !events.includes(entry.action)) continue;
      this.#enqueue(receiver, { id: `msg_${randomUUID()}`, body });
    }
  }

  /**
   * Queue a ready-made body under a caller-chosen webhook-id for every receiver (the operator
   * derives the id from the change, so the same change keeps the same id across retries and
   * restarts). Returns at once.
   */
  publishRaw(id: string, body: string): void {
    if (this.#closing.signal.aborted) return;
    for (const receiver of this.#receivers.values()) this.#enqueue(receiver, { id, body });
  }

  #enqueue(receiver: Receiver, message: Message): void {
    if (receiver.queue.length >= this.#policy.queueLimit) {
      receiver.queue.shift();
      receiver.status.dropped += 1;
      this.#onOutcome("dropped", receiver.status.url);
    }
    receiver.queue.push(message);
    if (!receiver.running) void this.#drain(receiver);
  }

  /** Resolves once every queue is empty (delivered, failed or dropped). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stop delivering; pending messages are abandoned. */
  close(): void {
    this.#closing.abort();
    for (const receiver of this.#receivers.values()) receiver.queue.length = 0;
    this.#notifyIdle();
  }

  #isIdle(): boolean {
    return [...this.#receivers.values()].every((r) => !r.running && r.queue.length === 0);
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #drain(receiver: Receiver): Promise<void> {
    receiver.running = true;
    try {
      for (let message = receiver.queue.shift(); message !== undefined; message = receiver.queue.shift()) {
        if (this.#closing.signal.aborted) break;
        await this.#deliver(receiver, message);
      }
    } finally {
      receiver.running = false;
      this.#notifyIdle();
    }
  }

  async #deliver(receiver: Receiver, message: Message): Promise<void> {
    let delay = this.#policy.initialDelayMs;
    for (let attempt = 1; attempt <= this.#policy.attempts; attempt++) {
      const outcome = await this.#attempt(receiver, message);
      if (outcome === "delivered") {
        receiver.status.delivered += 1;
        delete receiver.status.lastError;
        this.#onOutcome("delivered", receiver.status.url);
        return;
      }
      if (outcome === "rejected" || attempt === this.#policy.attempts || !(await this.#sleep(delay))) break;
      this.#onOutcome("retry", receiver.status.url, receiver.status.lastError);
      delay = Math.min(delay * 2, this.#policy.maxDelayMs);
    }
    receiver.status.failed += 1;
    this.#onOutcome("failed", receiver.status.url, receiver.status.lastError);
  }

  async #attempt(receiver: Receiver, message: Message): Promise<"delivered" | "retry" | "rejected"> {
    const now = new Date();
    const headers = {
      "content-type": "application/json",
      "webhook-id": message.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": receiver.signer.sign(message.id, now, message.body),
    };
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.#policy.timeoutMs), this.#closing.signal]);
      const response = await fetch(receiver.status.url, { method: "POST", headers, body: message.body, signal });
      await response.body?.cancel();
      if (response.ok) return "delivered";
      receiver.status.lastError = `HTTP ${response.status}`;
      return response.status >= 500 || RETRYABLE.has(response.status) ? "retry" : "rejected";
    } catch (error) {
      receiver.status.lastError =
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error);
      return "retry";
    }
  }

  /** false when closed while waiting */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#closing.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
