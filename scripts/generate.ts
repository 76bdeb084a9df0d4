// `npm run generate`: CRDs, admission policy, RBAC and docs/reference.md from core/schema.
// `npm run generate:check` (CI): regenerate in memory and exit 1 naming stale files.
//
//   node scripts/generate.ts [--check] [--root <dir>]
import * as path from "node:path";
import { describeStale, staleFiles, writeFiles } from "./generate/check.ts";
import { generatedFiles } from "./generate/outputs.ts";

export function main(argv: readonly string[]): number {
  const check = argv.includes("--check");
  const rootIndex = argv.indexOf("--root");
  const root =
    rootIndex >= 0 && argv[rootIndex + 1]
      ? path.resolve(argv[rootIndex + 1] as string)
      : path.resolve(import.meta.dirname, "..");
  const files = generatedFiles();
  if (check) {
    const stale = staleFiles(root, files);
    if (stale.length > 0) {
      process.stderr.write(`${describeStale(stale)}\n`);
      return 1;
    }
    process.stdout.write(`${files.size} generated files are up to date\n`);
    return 0;
  }
  const written = writeFiles(root, files);
  process.stdout.write(
    written.length === 0 ? `${files.size} generated files already up to date\n` : `wrote ${written.join(", ")}\n`,
  );
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
