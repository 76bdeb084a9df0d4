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

/** The Experiment as the API server has it now (the informer's copy may lag the reconcile's status write). */
export async function readExperiment(custom: CustomObjectsApi, live: LiveResource): Promise<LiveResource> {
  const { namespace, name } = live.metadata;
  return (await custom.getNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    plural: "experiments",
    namespace,
    name,
  })) as LiveResource;
}

/**
 * Patches the analysis into the status. The resourceVersion makes it conditional: if anything
 * wrote the object since it was read (the reconcile's Ready), the API server answers 409 and the
 * next pass merges again instead of overwriting that condition.
 */
export async function writeAnalysisStatus(
  custom: CustomObjectsApi,
  current: LiveResource,
  status: Record<string, unknown>,
): Promise<void> {
  const { namespace, name, resourceVersion } = current.metadata;
  await custom.patchNamespacedCustomObjectStatus(
    {
      group: GROUP,
      version: VERSION,
      plural: "experiments",
      namespace,
      name,
      body: { metadata: { resourceVersion }, status },
      fieldManager: "vexil-operator",
    },
    mergePatch,
  );
}
