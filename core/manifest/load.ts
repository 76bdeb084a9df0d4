// Loading manifests: YAML/JSON text or files and directories → schema-valid resources plus
// every problem found, each located by file, document, resource and field.
export type { AnyResource } from "./resource.ts";
export type { ManifestProblem } from "./problem.ts";
export { formatProblem, ProblemCode } from "./problem.ts";
export { parseManifests, parseResources } from "./parse.ts";
export { loadManifestPaths } from "./paths.ts";
export { sourceOf } from "./source.ts";
