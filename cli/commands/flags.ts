// `vexil flags list|kill|restore`: the everyday operations on flags, on a directory of YAML
// (--flags DIR, the edit a person would commit) or on a cluster (--kubernetes, a merge patch).
// Also run as the kubectl plugin `kubectl vexil …` (bin/kubectl-vexil.js).
import { Command } from "commander";
import { formatProblem } from "../../core/manifest/load.ts";
import type { FeatureFlag } from "../../core/schema/index.ts";
import { FlagNotFound, listDirectoryFlags, setDirectoryKillSwitch, type KillSwitchChange } from "../flags/directory.ts";
import { flagRows, formatTable } from "../flags/summary.ts";
import { addKubeconfigOption } from "../kubeconfig-option.ts";
import { ExitCode, outputOption, printJson, runAction, UsageError, type Io, type OutputFormat } from "../output.ts";

export interface FlagsOptions {
  flags?: string;
  kubernetes?: boolean;
  namespace: string;
  kubeconfig?: string;
  output: OutputFormat;
}

function where(options: FlagsOptions): { dir: string } | { cluster: true } {
  if (options.kubernetes && options.flags) throw new UsageError("use either --flags DIR or --kubernetes, not both");
  if (options.kubernetes) return { cluster: true };
  if (!options.flags) throw new UsageError("say where the flags are: --flags DIR, or --kubernetes for a cluster");
  return { dir: options.flags };
}

async function clusterApi() {
  // imported only here: the Kubernetes client costs a second of start-up in directory mode
  return import("../flags/kubernetes.ts");
}

export async function runFlagsList(io: Io, options: FlagsOptions): Promise<ExitCode> {
  const target = where(options);
  let flags: FeatureFlag[];
  let problems: string[] = [];
  if ("dir" in target) {
    const listed = await listDirectoryFlags(target.dir);
    flags = listed.flags;
    problems = listed.problems.map((p) => formatProblem(p));
  } else {
    flags = await (await clusterApi()).listClusterFlags(options);
  }
  const rows = flags.flatMap(flagRows);
  for (const problem of problems) io.err(`${problem}\n`);
  if (options.output === "json") printJson(io, { flags: rows, problems });
  else io.out(rows.length > 0 ? formatTable(rows) : "no flags\n");
  return problems.length > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
}

export async function runKillSwitch(io: Io, key: string, on: boolean, options: FlagsOptions): Promise<ExitCode> {
  const target = where(options);
  let change: KillSwitchChange;
  try {
    change =
      "dir" in target
        ? await setDirectoryKillSwitch(target.dir, key, on)
        : await (await clusterApi()).setClusterKillSwitch(options, key, on);
  } catch (error) {
    if (!(error instanceof FlagNotFound)) throw error;
    io.err(`error: ${error.message}\n`);
    return ExitCode.PROBLEMS;
  }
  if (options.output === "json") printJson(io, change);
  else {
    const state = on ? "kill switch ON: every environment serves the off variant" : "kill switch off: restored";
    io.out(`${key}: ${state}${change.changed ? "" : " (already so, nothing changed)"} (${change.where})\n`);
  }
  return ExitCode.OK;
}

function addTargetOptions(command: Command): Command {
  return addKubeconfigOption(command)
    .option("--flags <dir>", "directory (or file) of flag manifests")
    .option("--kubernetes", "the FeatureFlag resources of a cluster (kubeconfig, then in-cluster)")
    .option("-n, --namespace <ns>", "namespace, with --kubernetes", "default")
    .addOption(outputOption());
}

/** Errors that are not usage errors (API server refusals, unwritable files) exit 1 with the message. */
function failing<A extends unknown[]>(run: (io: Io, ...args: A) => Promise<ExitCode>) {
  return async (io: Io, ...args: A): Promise<ExitCode> => {
    try {
      return await run(io, ...args);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.err(`error: ${(error as Error).message}\n`);
      return ExitCode.PROBLEMS;
    }
  };
}

export function registerFlags(program: Command): Command {
  const flags = program.command("flags").description("list flags, flip kill switches (directory or cluster)");
  const list = addTargetOptions(
    flags.command("list").description("key, type, enabled, kill switch and rollout per environment"),
  );
  list.action(
    runAction(
      list,
      failing((io, options: FlagsOptions) => runFlagsList(io, options)),
    ),
  );
  for (const [name, on, text] of [
    ["kill", true, "turn the kill switch on: every environment serves the off variant"],
    ["restore", false, "turn the kill switch off again"],
  ] as const) {
    const command = addTargetOptions(flags.command(name).description(text).argument("<flag>", "flag key"));
    command.action(
      runAction(
        command,
        failing((io, key: string, options: FlagsOptions) => runKillSwitch(io, key, on, options)),
      ),
    );
  }
  return flags;
}
