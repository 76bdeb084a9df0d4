// Field-level differences between two versions of a resource, for the audit log:
// `spec.rollout.percentage: 25 → 50` says more than two whole documents.

export interface FieldChange {
  /** dotted path, array items as [i], e.g. "spec.variants[1].weight" */
  path: string;
  from?: unknown;
  to?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** Every leaf that differs; added fields have no `from`, removed ones no `to`. */
export function diff(from: unknown, to: unknown, path = ""): FieldChange[] {
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.flatMap((key) => diff(from[key], to[key], join(path, key)));
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const length = Math.max(from.length, to.length);
    return Array.from({ length }, (_, i) => diff(from[i], to[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  const change: FieldChange = { path };
  if (from !== undefined) change.from = from;
  if (to !== undefined) change.to = to;
  return [change];
}
