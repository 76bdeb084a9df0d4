// Checks produce findings relative to one resource; `attach` turns them into located problems.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import { locate } from "../manifest/source.ts";

export interface Finding {
  code: ProblemCode;
  path: string;
  message: string;
}

export function problemFor(resource: AnyResource, finding: Finding): ManifestProblem {
  const problem: ManifestProblem = {
    ...locate(resource),
    kind: resource.kind,
    name: resource.metadata.name,
    path: finding.path,
    message: finding.message,
    code: finding.code,
  };
  if (resource.metadata.namespace !== undefined) problem.namespace = resource.metadata.namespace;
  return problem;
}

export function attach(resource: AnyResource, findings: Finding[]): ManifestProblem[] {
  return findings.map((finding) => problemFor(resource, finding));
}

/** `"x" is not one of the flag's variants (on, off)` — lists the choices so the fix is obvious. */
export function unknownVariant(
  path: string,
  name: string,
  variants: readonly string[],
  what = "the flag's variants",
): Finding {
  const choices = variants.length > 0 ? variants.join(", ") : "none declared";
  return { code: ProblemCode.UNKNOWN_VARIANT, path, message: `"${name}" is not one of ${what} (${choices})` };
}

export function join(prefix: string, field: string): string {
  return prefix === "" ? field : field.startsWith("[") ? `${prefix}${field}` : `${prefix}.${field}`;
}
