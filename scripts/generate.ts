// `npm run generate`: CRDs, admission policy, RBAC and docs/reference.md from core/schema, then
// deploy/ rendered from the Helm chart with the pinned helm (built into the cache on first use).
// `npm run generate:check` (CI): regenerate in memory and exit 1 naming stale files.
//
//   node scripts/generate.ts [--check] [--root <dir>] [--schema-only]
import * as path from "node:path";
import { ensureHelm } from "../test/k8s/helm.ts";
import { describeStale, staleFiles, writeFiles } from "./generate/check.ts";
import { deployFiles, renderChart } from "./generate/deploy.ts";
import { generatedFiles } from "./generate/outputs.ts";

function rootOf(argv: readonly string[]): string {
  const rootIndex = argv.indexOf("--root");
  return rootIndex >= 0 && argv[rootIndex + 1]
    ? path.resolve(argv[rootIndex + 1] as string)
    : path.resolve(import.meta.dirname, "..");
}

/** Checks or writes `files` under the root; returns the exit code. */
function apply(argv: readonly string[], files: Map<string, string>, what: string): number {
  const root = rootOf(argv);
  if (argv.includes("--check")) {
    const stale = staleFiles(root, files);
    if (stale.length > 0) {
      process.stderr.write(`${describeStale(stale)}\n`);
      return 1;
    }
    process.stdout.write(`${files.size} ${what} are up to date\n`);
    return 0;
  }
  const written = writeFiles(root, files);
  process.stdout.write(
    written.length === 0 ? `${files.size} ${what} already up to date\n` : `wrote ${written.join(", ")}\n`,
  );
  return 0;
}

/** The files generated from core/schema (no helm needed). */
export function main(argv: readonly string[]): number {
  return apply(argv, generatedFiles(), "generated files");
}

/** deploy/ rendered from the chart: run after main() so the chart's generated templates are current. */
export async function renderDeploy(argv: readonly string[]): Promise<number> {
  const helm = await ensureHelm();
  return apply(argv, deployFiles(renderChart(helm, rootOf(argv))), "files in deploy/ rendered from the chart");
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const schema = main(argv);
  // --check renders from the chart on disk: a stale chart template shows as stale deploy/ too
  process.exitCode = argv.includes("--schema-only") ? schema : schema || (await renderDeploy(argv));
}
