// The FeatureFlagsInteraction users import from "vexil": core's facade with webhook delivery
// over HTTP wired in by default (core itself does no network I/O).
import {
  FeatureFlagsInteraction as CoreFeatureFlagsInteraction,
  type FeatureFlagsOptions as CoreFeatureFlagsOptions,
} from "../core/facade/interaction.ts";
import { WebhookDispatcher, type WebhookDeliveryPolicy } from "../webhooks/dispatcher.ts";

export interface FeatureFlagsOptions extends CoreFeatureFlagsOptions {
  /** retries, timeouts and queue size of the built-in HTTP delivery (unused when `webhooks` is given) */
  webhookDelivery?: WebhookDeliveryPolicy;
}

export class FeatureFlagsInteraction extends CoreFeatureFlagsInteraction {
  constructor(options: FeatureFlagsOptions = {}) {
    const { webhookDelivery, ...rest } = options;
    super({ ...rest, webhooks: rest.webhooks ?? new WebhookDispatcher(webhookDelivery) });
  }

  override withEnvironment(environment: string): FeatureFlagsInteraction {
    return super.withEnvironment(environment) as FeatureFlagsInteraction;
  }
}
