// The `vexil` package's main entry: core's public API, with the FeatureFlagsInteraction that
// delivers signed webhooks over HTTP (webhooks/) in place of core's delivery-less one.
export * from "../core/index.ts";
export { FeatureFlagsInteraction, type FeatureFlagsOptions } from "./interaction.ts";
export type { WebhookDeliveryPolicy } from "../webhooks/dispatcher.ts";
