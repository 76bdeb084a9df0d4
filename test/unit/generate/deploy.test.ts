// deploy/ is `helm template` output split by source template; a template the split does not know
// is an error, not a silently dropped manifest.
import { describe, expect, it } from "vitest";
import { deployFiles } from "../../../scripts/generate/deploy.ts";

const rendered = [
  "---",
  "# Source: vexil/templates/evaluator-availability.yaml",
  "kind: PodDisruptionBudget",
  "---",
  "# Source: vexil/templates/evaluator-service.yaml",
  "kind: Service",
  "---",
  "# Source: vexil/templates/operator-deployment.yaml",
  "kind: Deployment",
  "---",
  "# Source: vexil/templates/evaluator-deployment.yaml",
  "kind: Deployment",
  "",
].join("\n");

describe("deployFiles", () => {
  it("groups the evaluator's templates into deploy/evaluator.yaml, each file with the do-not-edit header", () => {
    const files = deployFiles(rendered);
    expect([...files.keys()]).toEqual(["deploy/evaluator.yaml", "deploy/operator.yaml"]);
    expect(files.get("deploy/evaluator.yaml")).toBe(
      "# rendered from charts/vexil by npm run generate (values: scripts/generate/deploy-values.yaml); do not edit\n" +
        "kind: PodDisruptionBudget\n---\nkind: Service\n---\nkind: Deployment\n",
    );
  });

  it("refuses a rendered template that has no file in deploy/, naming it", () => {
    expect(() => deployFiles("---\n# Source: vexil/templates/networkpolicy.yaml\nkind: NetworkPolicy\n")).toThrow(
      "charts/vexil/templates/networkpolicy.yaml renders with deploy values but has no file in deploy/",
    );
  });
});
