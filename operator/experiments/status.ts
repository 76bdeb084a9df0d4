// The Experiment status the analysis writes: a merge patch of the fields it owns. Conditions
// are merged with the ones reconciles own (Ready, ...) so neither writer erases the other's.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from "@kubernetes/client-node";
import type { ExperimentResults } from "../../event-store/results.ts";
import { isReconcileCondition } from "../status/desired.ts";
import { GROUP, VERSION } from "../../kube/resources.ts";
import type { LiveResource } from "../resources.ts";
import { experimentConditions } from "./conditions.ts";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export function analysisStatus(live: LiveResource, results: ExperimentResults, now: Date): Record<string, unknown> {
  const previous = (live.status?.conditions ?? []) as Parameters<typeof experimentConditions>[1];
  const conditions = [
    ...previous.filter((c) => isReconcileCondition(c.type)),
    ...experimentConditions(results, previous, live.metadata.generation ?? 0, now),
  ];
  const { phase, results: byMetric, sampleRatioMismatch, recommendation, leadingVariant, analyzedAt } = results;
  return {
    phase,
    analyzedAt: analyzedAt.replace(/\.\d+Z$/, "Z"),
    results: byMetric,
    sampleRatioMismatch,
    recommendation,
    // null removes a leading variant that no longer leads (merge patch semantics)
    leadingVariant: leadingVariant ?? null,
    conditions,
  };
}

/** True when the live status already says this (analyzedAt aside): no write, no watch event. */
export function analysisUnchanged(live: LiveResource, status: Record<string, unknown>): boolean {
  const current = live.status ?? {};
  const strip = (value: Record<string, unknown>) =>
    JSON.stringify(
      ["phase", "results", "sampleRatioMismatch", "recommendation", "leadingVariant", "conditions"].map(
        (key) => value[key] ?? null,
      ),
    );
  return strip(current) === strip(status);
}

export async function writeAnalysisStatus(
  custom: CustomObjectsApi,
  live: LiveResource,
  status: Record<string, unknown>,
): Promise<void> {
  await custom.patchNamespacedCustomObjectStatus(
    {
      group: GROUP,
      version: VERSION,
      plural: "experiments",
      namespace: live.metadata.namespace,
      name: live.metadata.name,
      body: { status },
      fieldManager: "vexil-operator",
    },
    mergePatch,
  );
}
