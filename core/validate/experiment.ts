// Checks on one Experiment that need nothing but the experiment itself.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { ExperimentResource } from "../schema/index.ts";
import { attach, unknownVariant, type Finding } from "./finding.ts";

export function validateExperiment(experiment: ExperimentResource): ManifestProblem[] {
  const { spec } = experiment;
  const findings: Finding[] = [];
  const names = new Set<string>();
  spec.variants.forEach((entry, index) => {
    if (names.has(entry.variant)) {
      const message = `variant "${entry.variant}" is listed twice`;
      findings.push({ code: ProblemCode.DUPLICATE_VARIANT, path: `spec.variants[${index}].variant`, message });
    }
    names.add(entry.variant);
  });
  if (!names.has(spec.control))
    findings.push(unknownVariant("spec.control", spec.control, [...names], "the experiment's variants"));
  if (spec.variants.reduce((sum, entry) => sum + entry.weight, 0) <= 0) {
    findings.push({
      code: ProblemCode.INVALID_SPLIT,
      path: "spec.variants",
      message: "weights must add up to more than 0 (all are 0)",
    });
  }
  if (spec.start !== undefined && spec.stop !== undefined && Date.parse(spec.stop) <= Date.parse(spec.start)) {
    findings.push({
      code: ProblemCode.INVALID_EXPERIMENT,
      path: "spec.stop",
      message: `must be after start (${spec.start})`,
    });
  }
  const metrics = new Set<string>();
  spec.metrics.forEach((metric, index) => {
    if (metrics.has(metric.name)) {
      const message = `metric "${metric.name}" is listed twice`;
      findings.push({ code: ProblemCode.INVALID_EXPERIMENT, path: `spec.metrics[${index}].name`, message });
    }
    metrics.add(metric.name);
  });
  return attach(experiment, findings);
}
