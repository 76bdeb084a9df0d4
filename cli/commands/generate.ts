// `vexil generate sdk`: write a typed SDK package for one language from a flags directory or
// the cluster's FeatureFlag resources. --check writes nothing and exits 1 naming the files that
// are missing or differ, so a user's CI can insist the checked-in SDK matches the flags.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { VexilError } from "../../core/facade/errors.ts";
import { FeatureFlagsInteraction } from "../../core/facade/interaction.ts";
import { SDK_LANGUAGES, type GeneratedSdk, type SdkOptions } from "../../core/facade/sdk/generate.ts";
import { DirectoryStorage } from "../../core/facade/storage/directory.ts";
import { loadManifestPaths, formatProblem } from "../../core/manifest/load.ts";
import { ExitCode, outputOption, printJson, runAction, UsageError, type Io, type OutputFormat } from "../output.ts";

export interface GenerateSdkCommandOptions {
  language: string;
  flags?: string;
  kubernetes?: boolean;
  kubeconfig?: string;
  namespace: string;
  out: string;
  packageName?: string;
  packageVersion?: string;
  check?: boolean;
  output: OutputFormat;
}

type FileStatus = "written" | "unchanged" | "stale";

async function flagSource(io: Io, options: GenerateSdkCommandOptions): Promise<FeatureFlagsInteraction | undefined> {
  if (options.kubernetes) {
    if (options.flags !== undefined) throw new UsageError("use either --flags DIR or --kubernetes, not both");
    const { createKubernetesFlags } = await import("../../api/kubernetes.ts");
    const kubeconfig = options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig };
    return createKubernetesFlags({ namespace: options.namespace, ...kubeconfig });
  }
  if (options.flags === undefined) {
    throw new UsageError("say where the flags are: --flags DIR, or --kubernetes to read the cluster's FeatureFlags");
  }
  // the storage skips files it cannot read; generating from a broken directory must fail instead
  const loaded = await loadManifestPaths([options.flags]);
  if (loaded.problems.length > 0) {
    for (const problem of loaded.problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${loaded.problems.length} problem(s) in ${options.flags}: no SDK generated\n`);
    return undefined;
  }
  return new FeatureFlagsInteraction({ storage: new DirectoryStorage(options.flags), namespace: options.namespace });
}

async function current(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function apply(sdk: GeneratedSdk, out: string, check: boolean): Promise<{ path: string; status: FileStatus }[]> {
  const results: { path: string; status: FileStatus }[] = [];
  for (const file of sdk.files) {
    const target = join(out, file.path);
    if ((await current(target)) === file.contents) {
      results.push({ path: file.path, status: "unchanged" });
    } else if (check) {
      results.push({ path: file.path, status: "stale" });
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.contents);
      results.push({ path: file.path, status: "written" });
    }
  }
  return results;
}

function report(io: Io, sdk: GeneratedSdk, out: string, results: { path: string; status: FileStatus }[]): void {
  const count = (status: FileStatus) => results.filter((r) => r.status === status).length;
  const what = `${sdk.language} package ${sdk.packageName} ${sdk.version}`;
  if (count("stale") > 0) {
    io.err(`${out} is stale (${what}); regenerate with vexil generate sdk:\n`);
    for (const r of results.filter((r) => r.status === "stale")) io.err(`  ${join(out, r.path)}\n`);
  } else if (count("written") === 0) {
    io.out(`${out} is up to date (${what}, ${results.length} files)\n`);
  } else {
    io.out(`wrote ${count("written")} of ${results.length} files to ${out} (${what})\n`);
  }
}

export async function runGenerateSdk(io: Io, options: GenerateSdkCommandOptions): Promise<ExitCode> {
  const flags = await flagSource(io, options);
  if (flags === undefined) return ExitCode.PROBLEMS;
  const sdkOptions: SdkOptions = {};
  if (options.packageName !== undefined) sdkOptions.packageName = options.packageName;
  if (options.packageVersion !== undefined) sdkOptions.version = options.packageVersion;
  let sdk: GeneratedSdk;
  try {
    sdk = await flags.generateSdk(options.language, sdkOptions);
  } catch (error) {
    if (error instanceof VexilError && error.code === "INVALID_ARGUMENT") throw new UsageError(error.message);
    throw error;
  } finally {
    await flags.close();
  }
  const out = resolve(options.out);
  const results = await apply(sdk, out, options.check === true);
  const stale = results.filter((r) => r.status === "stale").map((r) => r.path);
  if (options.output === "json") {
    const { language, packageName, version } = sdk;
    printJson(io, { language, packageName, version, out, upToDate: stale.length === 0, files: results });
  } else {
    report(io, sdk, options.out, results);
  }
  return stale.length > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
}

export function registerGenerate(program: Command): Command {
  const generate = program.command("generate").description("generate code from the flags");
  const command = generate
    .command("sdk")
    .description("write a typed SDK package (OpenFeature + the Vexil provider) for one language")
    .addOption(new Option("--language <language>", "SDK language").choices(SDK_LANGUAGES).makeOptionMandatory())
    .option("--flags <dir>", "directory (or file) of flag manifests")
    .option("--kubernetes", "read the FeatureFlag resources of --namespace from the cluster")
    .option("--kubeconfig <path>", "kubeconfig for --kubernetes (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--namespace <namespace>", "namespace of the flags", "default")
    .requiredOption("--out <dir>", "directory to write the package into")
    .option("--package-name <name>", "npm name, Python distribution, Java package or Go module path")
    .option("--package-version <version>", "the package's version", "0.1.0")
    .option("--check", "write nothing; exit 1 naming the files that are missing or differ")
    .addOption(outputOption());
  command.action(runAction(command, (io, options: GenerateSdkCommandOptions) => runGenerateSdk(io, options)));
  return generate;
}
