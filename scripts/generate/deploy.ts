// deploy/ is the Helm chart rendered with scripts/generate/deploy-values.yaml: one source for the
// plain manifests and the chart. `helm template` output is split by the template each document
// came from (its "# Source:" line) into the files users apply with `kubectl apply -f deploy/`.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const HEADER =
  "# rendered from charts/vexil by npm run generate (values: scripts/generate/deploy-values.yaml); do not edit\n";

/** Chart template → file under deploy/ (several templates may share a file). */
const DEPLOY_FILE: Record<string, string> = {
  "admission-policy.yaml": "deploy/admission-policy.yaml",
  "audit-policy.yaml": "deploy/audit-policy.yaml",
  "rbac-operator.yaml": "deploy/rbac/operator.yaml",
  "rbac-evaluator.yaml": "deploy/rbac/evaluator.yaml",
  "operator-deployment.yaml": "deploy/operator.yaml",
  "evaluator-deployment.yaml": "deploy/evaluator.yaml",
  "evaluator-service.yaml": "deploy/evaluator.yaml",
  "evaluator-availability.yaml": "deploy/evaluator.yaml",
};

export const DEPLOY_NAMESPACE = "vexil-system";

/** Runs `helm template` for deploy/ and returns the rendered YAML stream. */
export function renderChart(helm: string, root: string): string {
  const args = ["template", "vexil", path.join(root, "charts/vexil"), "--namespace", DEPLOY_NAMESPACE];
  args.push("--values", path.join(root, "scripts/generate/deploy-values.yaml"));
  return execFileSync(helm, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Splits `helm template` output into deploy/ files, in the order the chart renders them. */
export function deployFiles(rendered: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const document of rendered.split(/^---\n/m)) {
    const source = /^# Source: [^/]+\/templates\/(\S+)\n/.exec(document);
    if (!source?.[1]) {
      if (document.trim() === "") continue;
      throw new Error(`helm template printed a document without a "# Source:" line:\n${document.slice(0, 200)}`);
    }
    const body = document.slice(source[0].length).trimEnd();
    if (body === "") continue; // a template disabled by the values
    const file = DEPLOY_FILE[source[1]];
    if (!file)
      throw new Error(`charts/vexil/templates/${source[1]} renders with deploy values but has no file in deploy/`);
    const previous = files.get(file);
    files.set(file, previous === undefined ? `${HEADER}${body}\n` : `${previous}---\n${body}\n`);
  }
  return files;
}
