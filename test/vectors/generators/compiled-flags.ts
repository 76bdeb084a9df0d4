// Flags for the generated vectors that come from real manifests through `compile`, so the
// vectors hold every rollout strategy, experiment and segment exactly as compile writes them.
import { compile } from "../../../core/compile/compile.ts";
import { parseManifests } from "../../../core/manifest/load.ts";
import type { CompiledFlag } from "../../../core/snapshot/snapshot.ts";

/** The moment time-based strategies are resolved at (gradual mid-way, canary promoted once). */
export const COMPILE_NOW = new Date("2026-11-24T12:00:00Z");

const MANIFESTS = `
apiVersion: flags.vexil.dev/v1alpha1
kind: Segment
metadata: { name: gen-staff }
spec:
  key: email
  included: ["boss@example.com"]
  excluded: ["intern@example.com"]
  conditions:
    - { attribute: email, operator: endsWith, values: ["@EXAMPLE.COM"], caseInsensitive: true }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Segment
metadata: { name: gen-beta }
spec:
  match: any
  included: ["José", "😀"]
  conditions:
    - { attribute: beta, operator: equals, values: ["true"] }
    - { attribute: appVersion, operator: semverGreaterThan, values: ["2.0.0"] }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-percentage }
spec:
  type: string
  variants: [{ name: a, value: A }, { name: b, value: B }, { name: c, value: C }]
  defaultVariant: a
  offVariant: c
  rollout: { strategy: percentage, percentage: 30, variant: b }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-percentage-split }
spec:
  type: string
  variants: [{ name: a, value: A, weight: 50 }, { name: b, value: B, weight: 30 }, { name: c, value: C, weight: 20 }]
  defaultVariant: a
  offVariant: c
  rollout: { strategy: percentage, percentage: 62.5, bucketBy: companyId, salt: gen-shared-salt }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-gradual }
spec:
  type: boolean
  defaultVariant: "on"
  offVariant: "off"
  rollout: { strategy: gradual, from: 10, to: 90, start: "2026-11-24T00:00:00Z", duration: 24h, steps: 8 }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-canary }
spec:
  type: boolean
  defaultVariant: "on"
  offVariant: "off"
  rollout:
    strategy: canary
    percentage: 5
    start: "2026-11-24T00:00:00Z"
    promote: [{ after: 6h, percentage: 20 }, { after: 48h, percentage: 100 }]
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-ring }
spec:
  type: string
  variants: [{ name: a, value: A }, { name: b, value: B }, { name: c, value: C }]
  defaultVariant: a
  offVariant: c
  rollout:
    strategy: ring
    variant: b
    currentRing: beta
    rings:
      - { name: staff, segments: [gen-staff] }
      - { name: beta, segments: [gen-beta], attribute: country, values: ["ÉIRE", "日本"] }
      - { name: everyone, attribute: targetingKey, values: ["never-reached"] }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-targeted }
spec:
  type: number
  variants: [{ name: low, value: 1, weight: 1 }, { name: high, value: 2.5, weight: 3 }, { name: none, value: 0 }]
  defaultVariant: low
  offVariant: none
  rollout: { strategy: targeted, segments: [gen-staff, gen-beta] }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-experiment }
spec:
  type: string
  variants: [{ name: a, value: A }, { name: b, value: B }, { name: c, value: C }]
  defaultVariant: a
  offVariant: c
  rules:
    - name: staff-get-c
      segments: [gen-staff]
      serve: { variant: c }
  rollout: { strategy: percentage, percentage: 50, variant: b }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: { name: gen-checkout-test }
spec:
  flag: gen-experiment
  environment: production
  variants: [{ variant: a, weight: 1 }, { variant: b, weight: 1 }, { variant: c, weight: 2 }]
  control: a
  traffic: 40
  audience: { segments: [gen-beta] }
  metrics: [{ name: purchase, event: purchase }]
  start: "2026-11-01T00:00:00Z"
---
apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: gen-rules }
spec:
  type: json
  variants:
    - { name: small, value: { size: 1, tags: ["s"] } }
    - { name: large, value: { size: 3, tags: [] } }
    - { name: none, value: [] }
  defaultVariant: small
  offVariant: none
  targets: [{ variant: large, values: ["", "José", "😀"] }]
  rules:
    - name: two-conditions
      conditions:
        - { attribute: country, operator: in, values: [US, UK] }
        - { attribute: plan, operator: equals, values: [premium] }
      serve: { variant: large }
    - name: split-for-beta
      segments: [gen-beta]
      serve: { split: [{ variant: small, weight: 1 }, { variant: large, weight: 1 }] }
  environments:
    production: { rollout: { strategy: percentage, percentage: 100 } }
`;

/** The compiled flags (keys gen-*) of the manifests above, for namespace "vectors", production. */
export function compiledFlags(): Record<string, CompiledFlag> {
  const { resources, problems } = parseManifests(MANIFESTS, "compiled-flags.ts");
  if (problems.length > 0) throw new Error(`generator manifests: ${JSON.stringify(problems)}`);
  const output = compile(resources, { namespace: "vectors", environment: "production", now: COMPILE_NOW });
  if (output.problems.length > 0) throw new Error(`generator compile: ${JSON.stringify(output.problems)}`);
  return output.snapshot.flags;
}
