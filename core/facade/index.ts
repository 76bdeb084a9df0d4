// Public surface of the TypeScript API, re-exported by the package entry point.
export { FeatureFlagsInteraction, type FeatureFlagsOptions } from "./interaction.ts";
export { FlagType, TargetingOperator } from "./vocabulary.ts";
export {
  EvaluationContext,
  Segment,
  TargetingRule,
  Variant,
  type AttributeValue,
  type EvaluationContextOptions,
  type RuleValue,
  type SegmentOptions,
  type TargetingRuleOptions,
  type VariantOptions,
} from "./model.ts";
export { VexilError, VexilErrorCode } from "./errors.ts";
export type { CreateFlagOptions, EnvironmentOverride, FlagChanges, ListFlagsOptions } from "./inputs.ts";
export type { PrerequisiteInput, RolloutInput, RuleInput, TargetInput, TargetingFields } from "./flag-fields.ts";
export type { ExperimentChanges, ExperimentOptions } from "./experiment-operations.ts";
export type { ContextLike } from "./mapping.ts";
export type { EvaluationDetails } from "./evaluation.ts";
export type { AuditAction, AuditEntry, AuditQuery } from "./audit.ts";
export type { FieldChange } from "./diff.ts";
export type { FlagAnalytics } from "./analytics.ts";
export type { WebhookDelivery, WebhookOptions, WebhookOutcome, WebhookStatus } from "./webhooks.ts";
export type { ExperimentResults, ExperimentResultsReader, VariantAnalytics } from "./experiments.ts";
export {
  SDK_LANGUAGES,
  type GeneratedFile,
  type GeneratedSdk,
  type SdkLanguage,
  type SdkOptions,
} from "./sdk/generate.ts";
export type { FlagStorage, StoredResource } from "./storage/storage.ts";
export { MemoryStorage } from "./storage/memory.ts";
export { DirectoryStorage } from "./storage/directory.ts";
export type { Clock } from "./cache.ts";
