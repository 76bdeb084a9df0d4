// Every change through the TypeScript API passes the same checks `vexil validate` runs:
// the zod schema, then the cross-resource rules of core/validate. A failure throws one
// VexilError listing every problem, each with its field path.
import { keepVariantValues } from "../schema/json-values.ts";
import { describeIssues } from "../manifest/schema-issues.ts";
import { resourceName, resourceSchemas } from "../schema/index.ts";
import { validateResources } from "../validate/index.ts";
import { VexilError } from "./errors.ts";
import type { StoredResource } from "./storage/storage.ts";

// A string, number or json flag created without variants is a draft until its first
// addVariant (the original API creates it first and adds variants after); these two
// findings are expected for a draft and do not block saving it.
const DRAFT_CODES = new Set(["MISSING_VARIANTS", "MISSING_DEFAULT_VARIANT"]);

function label(resource: StoredResource): string {
  return `${resource.kind === "FeatureFlag" ? "flag" : resource.kind.toLowerCase()} "${resource.metadata.name}"`;
}

function errorCode(resource: StoredResource): "INVALID_FLAG" | "INVALID_SEGMENT" | "INVALID_ARGUMENT" {
  if (resource.kind === "FeatureFlag") return "INVALID_FLAG";
  return resource.kind === "Segment" ? "INVALID_SEGMENT" : "INVALID_ARGUMENT";
}

/** Throws INVALID_FLAG / INVALID_SEGMENT / INVALID_ARGUMENT when `name` is not a valid resource name. */
export function checkName(kind: "flag" | "segment" | "namespace", name: unknown): void {
  const parsed = resourceName.safeParse(name);
  if (!parsed.success) {
    const message = describeIssues(parsed.error.issues)[0]?.message ?? "is invalid";
    const code = kind === "flag" ? "INVALID_FLAG" : kind === "segment" ? "INVALID_SEGMENT" : "INVALID_ARGUMENT";
    const what = kind === "namespace" ? "namespace" : `${kind} ${kind === "flag" ? "key" : "name"}`;
    throw new VexilError(code, `invalid ${what} ${JSON.stringify(name)}: ${message}`);
  }
}

/** The resource as the schema reads it (defaults applied), or a VexilError naming each bad field. */
export function parseResource<R extends StoredResource>(resource: R): R {
  const parsed = resourceSchemas[resource.kind].safeParse(resource, { reportInput: true });
  if (!parsed.success) {
    const details = describeIssues(parsed.error.issues).map(({ path, message }) => `${path}: ${message}`);
    throw new VexilError(errorCode(resource), `invalid ${label(resource)}: ${details.join("; ")}`);
  }
  keepVariantValues(resource, parsed.data);
  return parsed.data as R;
}

function isDraft(resource: StoredResource): boolean {
  return (
    resource.kind === "FeatureFlag" && resource.spec.type !== "boolean" && (resource.spec.variants ?? []).length === 0
  );
}

/**
 * Check `changed` together with everything else stored (so segment and prerequisite names
 * resolve). Only problems about the changed resources block the change: an unrelated broken
 * file in a flags directory must not stop an edit to another flag.
 */
export function checkResources(changed: readonly StoredResource[], others: readonly StoredResource[]): void {
  const ids = new Set(changed.map((r) => `${r.kind}/${r.metadata.name}`));
  const all = [...others.filter((r) => !ids.has(`${r.kind}/${r.metadata.name}`)), ...changed];
  const found = validateResources(all);
  for (const resource of changed) {
    const problems = found.filter(
      (p) =>
        p.kind === resource.kind &&
        p.name === resource.metadata.name &&
        !(isDraft(resource) && DRAFT_CODES.has(p.code)),
    );
    if (problems.length > 0) {
      const details = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
      throw new VexilError(errorCode(resource), `invalid ${label(resource)}: ${details.join("; ")}`);
    }
  }
}
