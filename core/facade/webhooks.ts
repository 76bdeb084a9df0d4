// Signed change notifications, the pure part: how a receiver is registered, what the facade
// publishes, and the port a delivery adapter implements. Delivery itself (HTTP, Standard
// Webhooks signing, retries, queues) is I/O and lives outside core in webhooks/; the package's
// main entry (api/) wires it into FeatureFlagsInteraction.
import type { AuditAction, AuditEntry } from "./audit.ts";
import { VexilError } from "./errors.ts";

export interface WebhookOptions {
  url: string;
  /** Standard Webhooks secret: base64, optionally prefixed `whsec_` */
  secret: string;
  /** audit actions to send (default: all) */
  events?: readonly AuditAction[];
}

export type WebhookOutcome = "delivered" | "retry" | "failed" | "dropped";

export interface WebhookStatus {
  id: string;
  url: string;
  events?: AuditAction[];
  delivered: number;
  failed: number;
  dropped: number;
  pending: number;
  lastError?: string;
}

/** Where FeatureFlagsInteraction hands its change notifications. */
export interface WebhookDelivery {
  /** Register a receiver; a bad url, event or secret throws VexilError INVALID_WEBHOOK. */
  add(options: WebhookOptions): WebhookStatus;
  remove(id: string): boolean;
  list(): WebhookStatus[];
  /** Queue `entry` for every interested receiver; returns at once (a slow receiver never delays a change). */
  publish(entry: AuditEntry): void;
  /** Resolves once every queue is empty (delivered, failed or dropped). */
  idle(): Promise<void>;
  /** Stop delivering; pending messages are abandoned. */
  close(): void;
}

/** The body of an audit entry's notification: the Standard Webhooks {type, timestamp, data} envelope. */
export function auditWebhookBody(entry: AuditEntry): string {
  return JSON.stringify({ type: entry.action, timestamp: entry.time, data: entry });
}

/**
 * A FeatureFlagsInteraction built from core alone has no way to send anything: changes publish
 * nowhere and registering a receiver says what to do instead.
 */
export class NoWebhookDelivery implements WebhookDelivery {
  add(): WebhookStatus {
    throw new VexilError(
      "NOT_SUPPORTED",
      'this FeatureFlagsInteraction has no webhook delivery: import it from "vexil" (which delivers ' +
        "signed webhooks over HTTP) or pass a delivery in the `webhooks` option",
    );
  }

  remove(): boolean {
    return false;
  }

  list(): WebhookStatus[] {
    return [];
  }

  publish(): void {}

  idle(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}
