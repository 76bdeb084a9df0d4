// A problem found while loading, validating or compiling manifests, located precisely enough
// that a platform engineer can open the file and fix it without guessing.

/** Closed vocabulary of problem codes; tests and tools match on these, people read `message`. */
export const ProblemCode = {
  READ_ERROR: "READ_ERROR",
  YAML_SYNTAX: "YAML_SYNTAX",
  DUPLICATE_KEY: "DUPLICATE_KEY",
  NOT_A_RESOURCE: "NOT_A_RESOURCE",
  UNKNOWN_KIND: "UNKNOWN_KIND",
  API_VERSION: "API_VERSION",
  SCHEMA: "SCHEMA",
  DUPLICATE_RESOURCE: "DUPLICATE_RESOURCE",
  DUPLICATE_VARIANT: "DUPLICATE_VARIANT",
  MISSING_VARIANTS: "MISSING_VARIANTS",
  MISSING_DEFAULT_VARIANT: "MISSING_DEFAULT_VARIANT",
  UNKNOWN_VARIANT: "UNKNOWN_VARIANT",
  TYPE_MISMATCH_VALUE: "TYPE_MISMATCH_VALUE",
  INVALID_SPLIT: "INVALID_SPLIT",
  INVALID_SERVE: "INVALID_SERVE",
  DUPLICATE_TARGET: "DUPLICATE_TARGET",
  MISSING_FIELD: "MISSING_FIELD",
  INVALID_ROLLOUT: "INVALID_ROLLOUT",
  INVALID_CONDITION: "INVALID_CONDITION",
  INVALID_REGEX: "INVALID_REGEX",
  INVALID_OPERAND: "INVALID_OPERAND",
  UNKNOWN_SEGMENT: "UNKNOWN_SEGMENT",
  UNKNOWN_PREREQUISITE: "UNKNOWN_PREREQUISITE",
  PREREQUISITE_CYCLE: "PREREQUISITE_CYCLE",
  PREREQUISITE_TOO_DEEP: "PREREQUISITE_TOO_DEEP",
  EVALUATION_TOO_COSTLY: "EVALUATION_TOO_COSTLY",
  FILE_TOO_LARGE: "FILE_TOO_LARGE",
  INVALID_UTF8: "INVALID_UTF8",
  YAML_TOO_LARGE: "YAML_TOO_LARGE",
  UNKNOWN_FLAG: "UNKNOWN_FLAG",
  INVALID_EXPERIMENT: "INVALID_EXPERIMENT",
  EXPERIMENT_CONFLICT: "EXPERIMENT_CONFLICT",
  DEPENDENCY_EXCLUDED: "DEPENDENCY_EXCLUDED",
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export interface ManifestProblem {
  file?: string;
  /** 1-based YAML document within the file */
  document?: number;
  /** 1-based item within a JSON array or `kind: List` document */
  item?: number;
  /** 1-based line and column, for syntax errors */
  line?: number;
  column?: number;
  kind?: string;
  name?: string;
  namespace?: string;
  /** field path inside the resource, e.g. spec.rollout.percentage */
  path?: string;
  message: string;
  code: ProblemCode;
}

/** Where a problem is, e.g. `flags/checkout.yaml:7:3 (document 2, item 1)`. */
function formatLocation(p: ManifestProblem): string {
  let where = p.file ?? "<input>";
  if (p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ""}`;
  const parts: string[] = [];
  if (p.document !== undefined) parts.push(`document ${p.document}`);
  if (p.item !== undefined) parts.push(`item ${p.item}`);
  return parts.length > 0 ? `${where} (${parts.join(", ")})` : where;
}

/**
 * One line a person can act on, e.g.
 * `examples/checkout.yaml (document 2) FeatureFlag "new-checkout": spec.rollout.percentage: must be at most 100 (got 120)`.
 */
export function formatProblem(p: ManifestProblem): string {
  let text = formatLocation(p);
  if (p.kind !== undefined && p.name !== undefined) {
    const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
    text += ` ${p.kind} "${name}"`;
  } else if (p.kind !== undefined) {
    text += ` ${p.kind}`;
  }
  text += ": ";
  if (p.path !== undefined && p.path !== "") text += `${p.path}: `;
  return text + p.message;
}
