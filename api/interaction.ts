// The FeatureFlagsInteraction users import from "vexil": core's facade with webhook delivery
// over HTTP wired in by default (core itself does no network I/O).
import {
  FeatureFlagsInteraction as CoreFeatureFlagsInteraction,
  type FeatureFlagsOptions as CoreFeatureFlagsOptions,
} from "../core/facade/interaction.ts";
import type { EventStore } from "../event-store/store.ts";
import { WebhookDispatcher, type WebhookDeliveryPolicy } from "../webhooks/dispatcher.ts";
import { EventStoreUsageLedger } from "./usage-ledger.ts";

export interface FeatureFlagsOptions extends CoreFeatureFlagsOptions {
  /** retries, timeouts and queue size of the built-in HTTP delivery (unused when `webhooks` is given) */
  webhookDelivery?: WebhookDeliveryPolicy;
  /**
   * Count evaluations durably in this event store (a postgres:// URL, a SQLite file, or an open
   * EventStore): getAnalytics() and getStaleFlags() then read it, across restarts and processes.
   */
  eventsDatabase?: string | EventStore;
}

export class FeatureFlagsInteraction extends CoreFeatureFlagsInteraction {
  constructor(options: FeatureFlagsOptions = {}) {
    const { webhookDelivery, eventsDatabase, ...rest } = options;
    super({
      ...rest,
      webhooks: rest.webhooks ?? new WebhookDispatcher(webhookDelivery),
      ...(eventsDatabase !== undefined && rest.usage === undefined
        ? { usage: new EventStoreUsageLedger(eventsDatabase) }
        : {}),
    });
  }

  override withEnvironment(environment: string): FeatureFlagsInteraction {
    return super.withEnvironment(environment) as FeatureFlagsInteraction;
  }
}
