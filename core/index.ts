// Public entry point of the `vexil` package.
export * from "./schema/index.ts";
export * from "./snapshot/snapshot.ts";
export * from "./evaluate/result.ts";
export { evaluate } from "./evaluate/evaluate.ts";
export { bucket, murmur3 } from "./hashing/bucket.ts";
export { parseManifests, loadManifestPaths, formatProblem } from "./manifest/load.ts";
export type { ManifestProblem, AnyResource } from "./manifest/load.ts";
export { validateResources } from "./validate/index.ts";
export { validateManifestPaths } from "./validate/paths.ts";
export { compile } from "./compile/compile.ts";
export type { CompileOptions, CompileOutput } from "./compile/compile.ts";
export * from "./facade/index.ts";
export {
  analyzeExperiment,
  DEFAULT_MINIMUM_DETECTABLE_EFFECT,
  sampleRatioMismatch,
  holmAdjust,
} from "./statistics/index.ts";
export type { AnalyzeOptions, ExperimentAggregates, MetricVariantAggregate } from "./statistics/index.ts";
