// Files and directories through load and validation together: what `vexil validate` checks
// before manifests reach a cluster. Compile does not need this (it validates on its own).
import { loadManifestPaths } from "../manifest/paths.ts";
import type { ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import { validateResources } from "./index.ts";

/**
 * Load every manifest under `paths` (read, syntax and schema problems), then validate the whole
 * set once: per-resource checks, references across files, cycles and duplicates, each resource
 * looked up in its own namespace.
 */
export async function validateManifestPaths(
  paths: string[],
): Promise<{ resources: AnyResource[]; problems: ManifestProblem[]; warnings: ManifestProblem[] }> {
  const { resources, problems, warnings } = await loadManifestPaths(paths);
  return { resources, problems: [...problems, ...validateResources(resources)], warnings };
}
