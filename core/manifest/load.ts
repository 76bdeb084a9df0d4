// Loading manifests: YAML/JSON text or files and directories → schema-valid resources plus
// every read, syntax and schema problem, each located by file, document, resource and field.
export type { AnyResource } from "./resource.ts";
export type { ManifestProblem } from "./problem.ts";
export { formatProblem, ProblemCode } from "./problem.ts";
export { parseManifests } from "./parse.ts";
export { loadManifestPaths } from "./paths.ts";
export { sourceOf } from "./source.ts";
