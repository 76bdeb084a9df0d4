// Checks between resources: segments, prerequisite flags and their variants, experiments' flags.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import type { ExperimentResource, FeatureFlag } from "../schema/index.ts";
import { flagVariants } from "./effective.ts";
import { attach, join, unknownVariant, type Finding } from "./finding.ts";
import type { Scope } from "./scope.ts";

function namesList(names: string[]): string {
  if (names.length === 0) return "none is defined";
  const shown = names.slice(0, 10).join(", ");
  return `defined: ${shown}${names.length > 10 ? ", ..." : ""}`;
}

/** Every place a flag names segments, with the path to report. */
export function segmentReferences(flag: FeatureFlag): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  const targeting = [
    { path: "spec", spec: flag.spec as FeatureFlag["spec"] | NonNullable<FeatureFlag["spec"]["environments"]>[string] },
  ];
  for (const [environment, override] of Object.entries(flag.spec.environments ?? {})) {
    targeting.push({ path: join("spec.environments", environment), spec: override });
  }
  for (const { path, spec } of targeting) {
    (spec.rules ?? []).forEach((rule, r) =>
      (rule.segments ?? []).forEach((name, s) => out.push({ path: join(path, `rules[${r}].segments[${s}]`), name })),
    );
    (spec.rollout?.segments ?? []).forEach((name, s) => out.push({ path: join(path, `rollout.segments[${s}]`), name }));
    (spec.rollout?.rings ?? []).forEach((ring, r) =>
      (ring.segments ?? []).forEach((name, s) =>
        out.push({ path: join(path, `rollout.rings[${r}].segments[${s}]`), name }),
      ),
    );
  }
  return out;
}

function flagReferenceFindings(flag: FeatureFlag, scope: Scope): Finding[] {
  const findings: Finding[] = [];
  for (const { path, name } of segmentReferences(flag)) {
    if (!scope.find("Segment", name, flag)) {
      const message = `segment "${name}" does not exist (${namesList(scope.names("Segment", flag))})`;
      findings.push({ code: ProblemCode.UNKNOWN_SEGMENT, path, message });
    }
  }
  (flag.spec.prerequisites ?? []).forEach((prerequisite, index) => {
    const path = `spec.prerequisites[${index}]`;
    const target = scope.find("FeatureFlag", prerequisite.flag, flag);
    if (!target) {
      const message = `prerequisite flag "${prerequisite.flag}" does not exist (${namesList(scope.names("FeatureFlag", flag))})`;
      findings.push({ code: ProblemCode.UNKNOWN_PREREQUISITE, path: join(path, "flag"), message });
      return;
    }
    const names = flagVariants(target.spec).variants.map((v) => v.name);
    prerequisite.variants.forEach((variant, v) => {
      if (!names.includes(variant)) {
        findings.push(
          unknownVariant(join(path, `variants[${v}]`), variant, names, `flag "${prerequisite.flag}"'s variants`),
        );
      }
    });
  });
  return findings;
}

function experimentReferenceFindings(experiment: ExperimentResource, scope: Scope): Finding[] {
  const { spec } = experiment;
  const findings: Finding[] = [];
  (spec.audience?.segments ?? []).forEach((name, index) => {
    if (!scope.find("Segment", name, experiment)) {
      const message = `segment "${name}" does not exist (${namesList(scope.names("Segment", experiment))})`;
      findings.push({ code: ProblemCode.UNKNOWN_SEGMENT, path: `spec.audience.segments[${index}]`, message });
    }
  });
  const flag = scope.find("FeatureFlag", spec.flag, experiment);
  if (!flag) {
    const message = `flag "${spec.flag}" does not exist (${namesList(scope.names("FeatureFlag", experiment))})`;
    return [...findings, { code: ProblemCode.UNKNOWN_FLAG, path: "spec.flag", message }];
  }
  const names = flagVariants(flag.spec).variants.map((v) => v.name);
  spec.variants.forEach((entry, index) => {
    if (!names.includes(entry.variant)) {
      findings.push(
        unknownVariant(`spec.variants[${index}].variant`, entry.variant, names, `flag "${spec.flag}"'s variants`),
      );
    }
  });
  return findings;
}

/** Problems in the references each resource makes to others. */
export function checkReferences(resources: readonly AnyResource[], scope: Scope): Map<AnyResource, ManifestProblem[]> {
  const out = new Map<AnyResource, ManifestProblem[]>();
  for (const resource of resources) {
    let findings: Finding[] = [];
    if (resource.kind === "FeatureFlag") findings = flagReferenceFindings(resource, scope);
    else if (resource.kind === "Experiment") findings = experimentReferenceFindings(resource, scope);
    if (findings.length > 0) out.set(resource, attach(resource, findings));
  }
  return out;
}
