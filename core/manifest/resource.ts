// Check one parsed document against the schema of its kind and report every issue in plain words.
import {
  API_GROUP_VERSION,
  RESOURCE_KINDS,
  resourceSchemas,
  type ExperimentResource,
  type FeatureFlag,
  type ResourceKind,
  type SegmentResource,
} from "../schema/index.ts";
import type { RawDocument } from "./documents.ts";
import { ProblemCode, type ManifestProblem } from "./problem.ts";
import { describeIssues, describeValue } from "./schema-issues.ts";
import { recordSource } from "./source.ts";
import { keepVariantValues } from "../schema/json-values.ts";

/** A schema-parsed resource with zod defaults applied. */
export type AnyResource = FeatureFlag | SegmentResource | ExperimentResource;

const SUPPORTED = `supported kinds: ${RESOURCE_KINDS.join(", ")} (apiVersion ${API_GROUP_VERSION})`;

function isKind(kind: unknown): kind is ResourceKind {
  return typeof kind === "string" && (RESOURCE_KINDS as readonly string[]).includes(kind);
}

function identity(raw: Record<string, unknown>): Pick<ManifestProblem, "kind" | "name" | "namespace"> {
  const out: Pick<ManifestProblem, "kind" | "name" | "namespace"> = {};
  if (typeof raw.kind === "string") out.kind = raw.kind;
  const metadata = raw.metadata;
  if (typeof metadata === "object" && metadata !== null) {
    const { name, namespace } = metadata as Record<string, unknown>;
    if (typeof name === "string") out.name = name;
    if (typeof namespace === "string") out.namespace = namespace;
  }
  return out;
}

function kindProblem(raw: Record<string, unknown>): { code: ProblemCode; message: string } | undefined {
  const { kind, apiVersion } = raw;
  if (kind === undefined) return { code: ProblemCode.UNKNOWN_KIND, message: `missing kind; ${SUPPORTED}` };
  if (!isKind(kind)) {
    return { code: ProblemCode.UNKNOWN_KIND, message: `unknown kind ${describeValue(kind)}; ${SUPPORTED}` };
  }
  if (apiVersion !== API_GROUP_VERSION) {
    return {
      code: ProblemCode.API_VERSION,
      message: `apiVersion must be ${API_GROUP_VERSION} for kind ${kind} (got ${describeValue(apiVersion)})`,
    };
  }
  return undefined;
}

/** Validate a raw document as a Vexil resource; on success its source is recorded for later problems. */
export function toResource(
  doc: RawDocument,
  file: string | undefined,
): { resource?: AnyResource; problems: ManifestProblem[] } {
  const where: Pick<ManifestProblem, "file" | "document" | "item"> = { document: doc.document };
  if (file !== undefined) where.file = file;
  if (doc.item !== undefined) where.item = doc.item;
  if (typeof doc.value !== "object" || doc.value === null || Array.isArray(doc.value)) {
    const message = `expected a resource mapping with apiVersion, kind, metadata and spec (got ${describeValue(doc.value)})`;
    return { problems: [{ ...where, code: ProblemCode.NOT_A_RESOURCE, message }] };
  }
  const raw = doc.value as Record<string, unknown>;
  const who = identity(raw);
  const wrongKind = kindProblem(raw);
  if (wrongKind) return { problems: [{ ...where, ...who, ...wrongKind }] };
  const schema = resourceSchemas[raw.kind as ResourceKind];
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues).map(({ path, message }) => ({
      ...where,
      ...who,
      code: ProblemCode.SCHEMA,
      path,
      message,
    }));
    return { problems };
  }
  const resource = parsed.data as AnyResource;
  keepVariantValues(raw, resource);
  recordSource(resource, where);
  return { resource, problems: [] };
}
