// Semantic validation: what the zod schema alone cannot express. It runs once per path: inside
// compile (operator, `vexil serve`, `vexil compile`, the facade's evaluation), in `vexil validate`
// and in the facade's checks before a write, so every entry point rejects the same things with
// the same words. Loading (manifest/) stops at the schema.
import type { ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import { findCostlyFlags } from "./cost.ts";
import { findCycles } from "./cycles.ts";
import { findDuplicates } from "./duplicates.ts";
import { validateExperiment } from "./experiment.ts";
import { validateFlag } from "./flag.ts";
import { checkReferences } from "./references.ts";
import { buildScope } from "./scope.ts";
import { validateSegment } from "./segment.ts";

export { validateFlag, valueFitsType } from "./flag.ts";
export { validateSegment } from "./segment.ts";
export { validateExperiment } from "./experiment.ts";
export { flagVariants, specForEnvironment } from "./effective.ts";
export { findDuplicates } from "./duplicates.ts";
export { segmentReferences } from "./references.ts";
export { compileRegex } from "./condition.ts";
export { ownCost } from "./cost.ts";

export interface ValidateOptions {
  /** All resources belong to one namespace already (compile); default: scope by metadata.namespace. */
  sameScope?: boolean;
}

export interface ValidationReport {
  problems: ManifestProblem[];
  /** resources with at least one problem (every flag of a prerequisite cycle included) */
  invalid: Set<AnyResource>;
  /** later definitions of a kind and name already defined (the first one stays) */
  duplicates: Set<AnyResource>;
}

/** Checks of each resource on its own (no references to other resources). */
export function validateResource(resource: AnyResource): ManifestProblem[] {
  switch (resource.kind) {
    case "FeatureFlag":
      return validateFlag(resource);
    case "Segment":
      return validateSegment(resource);
    case "Experiment":
      return validateExperiment(resource);
  }
}

/** Every problem in a set of resources, and which resources they make invalid. */
export function checkResources(resources: readonly AnyResource[], options: ValidateOptions = {}): ValidationReport {
  const sameScope = options.sameScope === true;
  const duplicates = findDuplicates(resources, sameScope);
  const unique = resources.filter((resource) => !duplicates.duplicates.has(resource));
  const scope = buildScope(unique, sameScope);
  const references = checkReferences(unique, scope);
  const cycles = findCycles(unique, scope);
  const costly = findCostlyFlags(unique, scope, cycles.members);
  const problems: ManifestProblem[] = [...duplicates.problems];
  const invalid = new Set<AnyResource>([...duplicates.duplicates, ...cycles.members, ...costly.members]);
  for (const resource of unique) {
    const found = [...validateResource(resource), ...(references.get(resource) ?? [])];
    if (found.length > 0) invalid.add(resource);
    problems.push(...found);
  }
  problems.push(...cycles.problems, ...costly.problems);
  return { problems, invalid, duplicates: duplicates.duplicates };
}

export function validateResources(resources: readonly AnyResource[], options: ValidateOptions = {}): ManifestProblem[] {
  return checkResources(resources, options).problems;
}
