// `vexil compile --flags DIR --env ENV`: the snapshot the evaluator would serve, as JSON.
// Any problem fails the command (exit 1, problems on stderr, no snapshot) so a pipeline never
// ships a snapshot that silently left a flag out. `--output human` prints a summary instead.
import type { Command } from "commander";
import { compile } from "../../core/compile/compile.ts";
import { formatProblem } from "../../core/manifest/load.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { loadForEnvironment } from "../flags-input.ts";
import { ExitCode, outputOption, printJson, runAction, type Io, type OutputFormat } from "../output.ts";

export interface CompileCommandOptions {
  flags: string;
  env: string;
  namespace: string;
  output?: OutputFormat;
}

function printSummary(io: Io, snapshot: Snapshot): void {
  const flags = Object.keys(snapshot.flags);
  io.out(
    `snapshot for namespace ${snapshot.namespace}, environment ${snapshot.environment}: ` +
      `${flags.length} flag${flags.length === 1 ? "" : "s"}, hash ${snapshot.hash}\n`,
  );
  for (const key of flags.sort()) io.out(`  ${key}\n`);
}

export async function runCompile(io: Io, options: CompileCommandOptions): Promise<ExitCode> {
  const loaded = await loadForEnvironment(options.flags, options.env);
  for (const warning of loaded.warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  const output = compile(loaded.resources, { namespace: options.namespace, environment: options.env });
  const problems = [...loaded.problems, ...output.problems];
  if (problems.length > 0) {
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${problems.length} problem${problems.length === 1 ? "" : "s"}: no snapshot written\n`);
    return ExitCode.PROBLEMS;
  }
  if (options.output === "human") printSummary(io, output.snapshot);
  else printJson(io, output.snapshot);
  return ExitCode.OK;
}

export function registerCompile(program: Command): Command {
  const command = program
    .command("compile")
    .description("compile a flags directory into the snapshot JSON for one environment")
    .requiredOption("--flags <dir>", "directory (or file) of manifests")
    .requiredOption("--env <environment>", "environment to compile for, e.g. production")
    .option("--namespace <namespace>", "namespace to compile for", "default")
    .addOption(outputOption("json", "json (the snapshot, default) or human (a summary)"));
  command.action(runAction(command, (io, options: CompileCommandOptions) => runCompile(io, options)));
  return command;
}
