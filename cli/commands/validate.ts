// `vexil validate PATH…`: the checks the operator's admission and compile apply, run on files
// before they reach a cluster (in CI, in a pre-commit hook).
import type { Command } from "commander";
import { formatProblem } from "../../core/manifest/load.ts";
import { validateManifestPaths } from "../../core/validate/paths.ts";
import { ExitCode, outputOption, printJson, runAction, type Io, type OutputFormat } from "../output.ts";

export interface ValidateOptions {
  output: OutputFormat;
}

function countByKind(resources: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind } of resources) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

export async function runValidate(io: Io, paths: string[], options: ValidateOptions): Promise<ExitCode> {
  const { resources, problems, warnings } = await validateManifestPaths(paths);
  const exitCode = problems.length > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
  if (options.output === "json") {
    printJson(io, {
      valid: problems.length === 0,
      resources: resources.length,
      kinds: countByKind(resources),
      problems,
      warnings,
    });
    return exitCode;
  }
  for (const warning of warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  for (const problem of problems) io.out(`${formatProblem(problem)}\n`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (problems.length > 0) io.err(`${plural(problems.length, "problem")} in ${paths.join(", ")}\n`);
  else io.out(`${plural(resources.length, "resource")} valid\n`);
  return exitCode;
}

export function registerValidate(program: Command): Command {
  const command = program
    .command("validate")
    .description("check FeatureFlag, Segment and Experiment manifests (files or directories)")
    .argument("<paths...>", "YAML or JSON files, or directories searched recursively")
    .addOption(outputOption());
  command.action(
    runAction(command, (io, paths: string[], options: ValidateOptions) => runValidate(io, paths, options)),
  );
  return command;
}
