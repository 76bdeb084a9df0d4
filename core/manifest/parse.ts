// Parsing manifest text: YAML (multi-document) or JSON → schema-valid resources plus problems.
import { parseDocuments } from "./documents.ts";
import { toResource, type AnyResource } from "./resource.ts";
import type { ManifestProblem } from "./problem.ts";
import { validateLocal } from "../validate/index.ts";
import { findDuplicates } from "../validate/duplicates.ts";

/** Schema-check every document of one text, without semantic checks. */
export function parseResources(text: string, file?: string): { resources: AnyResource[]; problems: ManifestProblem[] } {
  const { documents, problems } = parseDocuments(text, file);
  const resources: AnyResource[] = [];
  for (const doc of documents) {
    const result = toResource(doc, file);
    if (result.resource) resources.push(result.resource);
    problems.push(...result.problems);
  }
  return { resources, problems };
}

/**
 * Parse one YAML (multi-document) or JSON text. Besides the schema, it runs the checks that need
 * only the text itself (variants, types, rollout fields, operands, duplicates within it); checks
 * that need other files (segments, prerequisites, experiments' flags) run in loadManifestPaths
 * and compile. Resources with semantic problems are still returned; compile excludes them.
 */
export function parseManifests(text: string, file?: string): { resources: AnyResource[]; problems: ManifestProblem[] } {
  const { resources, problems } = parseResources(text, file);
  problems.push(...validateLocal(resources), ...findDuplicates(resources).problems);
  return { resources, problems };
}
