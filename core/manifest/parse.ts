// Parsing manifest text: YAML (multi-document) or JSON → schema-valid resources plus problems.
// Loading stops at the schema; semantic checks (variants, references, duplicates) run once,
// in validate/ on the way to compile (or in `vexil validate`), never here as well.
import { parseDocuments } from "./documents.ts";
import { toResource, type AnyResource } from "./resource.ts";
import type { ManifestProblem } from "./problem.ts";

/** Schema-check every document of one text. */
export function parseManifests(text: string, file?: string): { resources: AnyResource[]; problems: ManifestProblem[] } {
  const { documents, problems } = parseDocuments(text, file);
  const resources: AnyResource[] = [];
  for (const doc of documents) {
    const result = toResource(doc, file);
    if (result.resource) resources.push(result.resource);
    problems.push(...result.problems);
  }
  return { resources, problems };
}
