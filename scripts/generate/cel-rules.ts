// Where each CEL rule goes: exact paths per kind, plus shared rules matched by path suffix.
import type { ResourceKind } from "../../core/schema/index.ts";
import { experimentSpecRules } from "./cel-experiment.ts";
import { flagRootRules, flagSpecRules } from "./cel-flag.ts";
import { sharedRules } from "./cel-targeting.ts";
import type { CelRule } from "./json-schema.ts";

const byKind: Record<ResourceKind, Record<string, CelRule[]>> = {
  FeatureFlag: { "": flagRootRules, spec: flagSpecRules },
  Segment: {},
  Experiment: { spec: experimentSpecRules },
};

/** CEL rules for the node at `path` (`spec.rules[].serve`, `spec.environments.*.rollout`...) of a kind. */
export function celRulesFor(kind: ResourceKind, path: string): CelRule[] {
  const rules = [...(byKind[kind][path] ?? [])];
  if (path.startsWith("status")) return rules;
  for (const [suffix, shared] of Object.entries(sharedRules)) {
    if (path === suffix || path.endsWith(`.${suffix}`)) rules.push(...shared);
  }
  return rules;
}
