// Bounds the CRD states (CEL cost needs them) are enforced the same way outside a cluster.
import { describe, expect, it } from "vitest";
import { formatProblem, parseManifests } from "../../../core/manifest/load.ts";
import { MAX_ENVIRONMENTS } from "../../../core/schema/index.ts";

function flagWithEnvironments(count: number): string {
  const environments = Object.fromEntries(Array.from({ length: count }, (_, i) => [`env-${i}`, { enabled: true }]));
  return JSON.stringify({
    apiVersion: "flags.vexil.dev/v1alpha1",
    kind: "FeatureFlag",
    metadata: { name: "many" },
    spec: { environments },
  });
}

describe("environment override limit", () => {
  it(`accepts ${MAX_ENVIRONMENTS} environments`, () => {
    expect(parseManifests(flagWithEnvironments(MAX_ENVIRONMENTS), "many.json").problems).toEqual([]);
  });

  it(`rejects ${MAX_ENVIRONMENTS + 1} environments, naming the field and the bound`, () => {
    const { problems } = parseManifests(flagWithEnvironments(MAX_ENVIRONMENTS + 1), "many.json");
    expect(problems.map(formatProblem)).toEqual([
      `many.json (document 1) FeatureFlag "many": spec.environments: at most ${MAX_ENVIRONMENTS} environments`,
    ]);
  });
});
