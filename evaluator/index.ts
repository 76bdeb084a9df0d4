// The evaluator's public pieces, for embedding (`createEvaluatorServer`). The ConfigMap format
// it reads (and the operator writes) is core's snapshot contract: core/snapshot/.
export { createEvaluatorServer, DEFAULT_MAX_BODY_BYTES } from "./server.ts";
export type { EvaluatorServer, EvaluatorServerOptions, RunningEvaluator } from "./server.ts";
export { SnapshotHolder, StaticSnapshotSource } from "./sources/source.ts";
export type { ReloadOutcome, SnapshotSource, SnapshotSourceEvents } from "./sources/source.ts";
export { DirectorySnapshotSource } from "./sources/directory.ts";
export type { DirectorySourceOptions } from "./sources/directory.ts";
export { KubernetesSnapshotSource } from "./sources/kubernetes.ts";
export type { KubernetesSourceOptions } from "./sources/kubernetes.ts";
export { MAX_EVENTS_PER_BATCH, eventBatchSchema, trackedEventSchema } from "./experiments/intake.ts";
export type { IgnoreReason, TrackedEvent } from "./experiments/intake.ts";
export type { ReceiveResult } from "./experiments/pipeline.ts";
export { TokenAuthenticator, readTokenFile } from "./auth.ts";
export { createMetrics } from "./metrics.ts";
export type { EvaluatorMetrics } from "./metrics.ts";
