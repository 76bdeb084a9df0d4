// Remembers which file and document each loaded resource came from, so that checks run long
// after loading (validation, compile) can still point at the right place. A WeakMap keeps the
// resources themselves plain schema objects that serialise back to the YAML a user wrote.
import type { ManifestProblem } from "./problem.ts";

export interface ResourceSource {
  file?: string;
  document?: number;
  item?: number;
}

const sources = new WeakMap<object, ResourceSource>();

export function recordSource(resource: object, source: ResourceSource): void {
  sources.set(resource, source);
}

export function sourceOf(resource: object): ResourceSource {
  return sources.get(resource) ?? {};
}

/** The location fields of a problem about `resource`, omitting what is unknown. */
export function locate(resource: object): Pick<ManifestProblem, "file" | "document" | "item"> {
  const { file, document, item } = sourceOf(resource);
  const out: Pick<ManifestProblem, "file" | "document" | "item"> = {};
  if (file !== undefined) out.file = file;
  if (document !== undefined) out.document = document;
  if (item !== undefined) out.item = item;
  return out;
}
