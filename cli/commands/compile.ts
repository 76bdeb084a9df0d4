// `vexil compile --flags DIR --env ENV`: the snapshot the evaluator would serve, as JSON.
// Any problem fails the command (exit 1, problems on stderr, no snapshot) so a pipeline never
// ships a snapshot that silently left a flag out.
import type { Command } from "commander";
import { compile } from "../../core/compile/compile.ts";
import { formatProblem, loadManifestPaths } from "../../core/manifest/load.ts";
import { ExitCode, printJson, runAction, type Io } from "../output.ts";

export interface CompileCommandOptions {
  flags: string;
  env: string;
  namespace: string;
}

export async function runCompile(io: Io, options: CompileCommandOptions): Promise<ExitCode> {
  // loading reports read, syntax and schema problems; compile the semantic ones, once
  const loaded = await loadManifestPaths([options.flags]);
  for (const warning of loaded.warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  const output = compile(loaded.resources, { namespace: options.namespace, environment: options.env });
  const problems = [...loaded.problems, ...output.problems];
  if (problems.length > 0) {
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${problems.length} problem${problems.length === 1 ? "" : "s"}: no snapshot written\n`);
    return ExitCode.PROBLEMS;
  }
  printJson(io, output.snapshot);
  return ExitCode.OK;
}

export function registerCompile(program: Command): Command {
  const command = program
    .command("compile")
    .description("compile a flags directory into the snapshot JSON for one environment")
    .requiredOption("--flags <dir>", "directory (or file) of manifests")
    .requiredOption("--env <environment>", "environment to compile for, e.g. production")
    .option("--namespace <namespace>", "namespace to compile for", "default");
  command.action(runAction(command, (io, options: CompileCommandOptions) => runCompile(io, options)));
  return command;
}
