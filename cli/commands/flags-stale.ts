// `vexil flags stale`: flags that can be removed, grouped by owner. On a directory (--flags DIR,
// usage from its event store) or a cluster (--kubernetes, the operator's Stale conditions).
// Registered into the `flags` command group, which other `flags` subcommands share.
import { Command } from "commander";
import { formatStaleReport, staleReport, type StaleReport } from "../../core/usage/report.ts";
import { EVENTS_DATABASE_HELP, openEventsDatabase } from "../events-database.ts";
import { addKubeconfigOption } from "../kubeconfig-option.ts";
import { ExitCode, outputOption, printJson, runAction, UsageError, type Io, type OutputFormat } from "../output.ts";
import { clusterStaleFlags, directoryStaleFlags } from "../stale-flags.ts";

export interface FlagsStaleOptions {
  flags?: string;
  kubernetes?: boolean;
  namespace: string;
  kubeconfig?: string;
  eventsDatabase?: string;
  output: OutputFormat;
}

async function clusterReport(options: FlagsStaleOptions): Promise<StaleReport> {
  // imported only here: the Kubernetes client costs a second of start-up in directory mode
  const { CustomObjectsApi } = await import("@kubernetes/client-node");
  const { loadKubeConfig } = await import("../../kube/kubeconfig.ts");
  const custom = loadKubeConfig(options.kubeconfig).makeApiClient(CustomObjectsApi);
  const items: Parameters<typeof clusterStaleFlags>[0][number][] = [];
  let token: string | undefined;
  do {
    const page = (await custom.listNamespacedCustomObject({
      group: "flags.vexil.dev",
      version: "v1alpha1",
      plural: "featureflags",
      namespace: options.namespace,
      limit: 500,
      _continue: token,
    })) as { items: typeof items; metadata?: { continue?: string } };
    items.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token);
  const { checked, stale } = clusterStaleFlags(items);
  return staleReport(checked, stale);
}

export async function runFlagsStale(io: Io, options: FlagsStaleOptions): Promise<ExitCode> {
  if (options.kubernetes && options.flags) throw new UsageError("use either --flags DIR or --kubernetes, not both");
  if (!options.kubernetes && !options.flags)
    throw new UsageError("say where the flags are: --flags DIR, or --kubernetes for a cluster");
  if (options.kubernetes && options.eventsDatabase)
    throw new UsageError("--events-database is for --flags: on a cluster the operator writes the Stale condition");
  let report: StaleReport;
  let problems = 0;
  if (options.kubernetes) report = await clusterReport(options);
  else {
    const store = openEventsDatabase(options.eventsDatabase, options.flags)!;
    try {
      const found = await directoryStaleFlags(options.flags!, options.namespace, store, Date.now());
      report = staleReport(found.checked, found.stale);
      problems = found.problems;
    } finally {
      await store.close();
    }
  }
  if (options.output === "json") printJson(io, report);
  else io.out(formatStaleReport(report));
  if (problems > 0) io.err(`${problems} manifest problem(s): run vexil validate\n`);
  return problems > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
}

/** Adds `stale` to the `flags` group (creating the group when no other flags subcommand has). */
export function registerFlagsStale(program: Command): void {
  const flags =
    program.commands.find((c) => c.name() === "flags") ??
    program.command("flags").description("operations on flags (directory or cluster)");
  const stale = addKubeconfigOption(
    new Command("stale")
      .description("flags not evaluated lately, never evaluated, or serving one variant to everyone, by owner")
      .option("--flags <dir>", "directory (or file) of flag manifests")
      .option("--kubernetes", "the FeatureFlag resources of a cluster (their Stale condition)")
      .option("-n, --namespace <ns>", "namespace", "default")
      .option("--events-database <url>", EVENTS_DATABASE_HELP),
  ).addOption(outputOption());
  stale.action(runAction(stale, runFlagsStale));
  flags.addCommand(stale);
}
