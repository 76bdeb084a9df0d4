// Descriptions for fields the zod schemas leave undescribed, so every field documents itself
// in `kubectl explain` and docs/reference.md. Keys are path suffixes (`[]` = list item, `*` = map
// value); the longest matching suffix wins. A description in the zod schema always takes
// precedence: move text there when you touch a schema.
const DESCRIPTIONS: Record<string, string> = {
  apiVersion: "flags.vexil.dev/v1alpha1",
  kind: "Kind of the resource.",
  spec: "Desired state, written by people and GitOps tools.",
  status: "Observed state, written by the Vexil operator (status subresource).",
  "spec.description": "Free text for humans; not used in evaluation.",
  "spec.hypothesis": "What the experiment is expected to show, for the record.",
  "spec.tags": "Labels for grouping and stale-flag reports.",
  "spec.variants": "Variants of the flag compared in the experiment, with their traffic weights.",
  "spec.variants[].weight": "Relative weight; weights need not sum to 100.",
  "variants[].description": "Free text for humans.",
  "spec.prerequisites": "Flags that must evaluate to given variants first; otherwise offVariant is served.",
  "spec.targets": "Individual users pinned to variants; checked before rules.",
  targets: "Individual users pinned to variants; replaces spec.targets in this environment.",
  "spec.rules": "Targeting rules, tried in order; the first match decides.",
  rules: "Targeting rules; replace spec.rules in this environment.",
  "spec.environments": "Overrides per environment name (e.g. production, staging).",
  "environments.*.enabled": "Overrides spec.enabled in this environment.",
  "environments.*.killSwitch": "Overrides spec.killSwitch in this environment (spec.killSwitch wins when true).",
  "rings[].name": "Ring name, referenced by currentRing.",
  "promote[].percentage": "Share of users inside the canary from this step on (0-100).",
  "spec.conditions": "Conditions combined according to spec.match.",
  "spec.environment": "Environment whose traffic is split (default production).",
  "spec.audience": "Who may be enrolled; everyone when empty.",
  "audience.segments": "Only members of all these segments are enrolled.",
  "spec.metrics": "Goal metrics, measured from events sent to POST /v1/events.",
  "metrics[].name": "Metric name shown in results.",
  "metrics[].type": "conversion (did the event happen) or numeric (sum of event values).",
  "metrics[].goal": "Whether a higher (increase) or lower (decrease) value is better.",
  "status.observedGeneration": "metadata.generation the status describes.",
  "status.conditions":
    "Ready, Reconciling and Stalled conditions (kstatus convention; Argo CD and Flux read them); FeatureFlags add Stale.",
  "conditions[].type": "Ready | Reconciling | Stalled",
  "conditions[].status": "True | False | Unknown",
  "conditions[].reason": "CamelCase reason for the last transition, e.g. Reconciled.",
  "conditions[].message": "Human-readable detail.",
  "conditions[].observedGeneration": "metadata.generation the condition was set for.",
  "status.environments": "Per-environment state of the compiled snapshot.",
  "status.environments.*": "State of the flag in one environment.",
  "status.usage.variants24h.*": "Evaluations of this variant in the last 24 hours.",
  "environments.*.snapshotVersion": "Version of the snapshot that includes this generation of the flag.",
  "environments.*.configMap": "ConfigMap holding that snapshot's index.",
  "environments.*.rolloutPercentage": "Rollout percentage currently served (gradual and canary rollouts).",
  "environments.*.rolloutStep": "Current step of a gradual rollout.",
  "status.results.*": "Results of one metric: one row per variant, the control first.",
  "environments.*.nextStepAt": "When the operator next advances the rollout.",
};

/** The description for a path the zod schema did not describe, if one is written here. */
export function fallbackDescription(path: string): string | undefined {
  let best: string | undefined;
  for (const suffix of Object.keys(DESCRIPTIONS)) {
    const matches = path === suffix || path.endsWith(`.${suffix}`);
    if (matches && (best === undefined || suffix.length > best.length)) best = suffix;
  }
  return best === undefined ? undefined : DESCRIPTIONS[best];
}
