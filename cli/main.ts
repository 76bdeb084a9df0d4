// The `vexil` command. Each subcommand lives in its own file under cli/commands/. Only the
// subcommand being run is imported: `serve` and `operator` pull in express and the Kubernetes
// client, which would otherwise add seconds to `vexil validate` and `vexil eval`.
import { Command, type CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { ExitCode } from "./output.ts";

type Register = (program: Command) => void;
interface Subcommand {
  /** shown by `vexil --help`; the command's own file repeats it with its options */
  summary: string;
  load: () => Promise<Register>;
}
const subcommands: Record<string, Subcommand> = {
  validate: {
    summary: "check FeatureFlag, Segment and Experiment manifests (files or directories)",
    load: async () => (await import("./commands/validate.ts")).registerValidate,
  },
  eval: {
    summary: "evaluate one flag for a context, as the evaluator would",
    load: async () => (await import("./commands/eval.ts")).registerEval,
  },
  compile: {
    summary: "compile a flags directory into the snapshot JSON for one environment",
    load: async () => (await import("./commands/compile.ts")).registerCompile,
  },
  flags: {
    summary: "list flags, flip kill switches (directory or cluster)",
    load: async () => {
      const [{ registerFlags }, { registerFlagsStale }] = await Promise.all([
        import("./commands/flags.ts"),
        import("./commands/flags-stale.ts"),
      ]);
      return (program) => {
        registerFlags(program);
        registerFlagsStale(program);
      };
    },
  },
  serve: {
    summary: "serve flags over OFREP and the native API, from a YAML directory or the cluster",
    load: async () => (await import("./commands/serve.ts")).registerServe,
  },
  operator: {
    summary: "reconcile FeatureFlags, Segments and Experiments into snapshot ConfigMaps",
    load: async () => (await import("./commands/operator.ts")).registerOperator,
  },
  experiment: {
    summary: "experiment results: exposures, conversions, statistics",
    load: async () => (await import("./commands/experiment.ts")).registerExperiment,
  },
  generate: {
    summary: "generate typed SDK packages from the flags (typescript, javascript, ...)",
    load: async () => (await import("./commands/generate.ts")).registerGenerate,
  },
};

/** The package's version, from cli/ in the repository or dist/cli/ in the installed package. */
function packageVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const text = readFileSync(new URL(path, import.meta.url), "utf8");
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === "vexil" && parsed.version) return parsed.version;
    } catch {
      // not this one: try the next location
    }
  }
  return "unknown";
}

const program = new Command("vexil")
  .description("Kubernetes-native feature flags")
  .version(packageVersion())
  .showHelpAfterError()
  // every usage error (unknown command or option, missing argument, bad choice) exits 2;
  // --help and --version exit 0. Subcommands inherit this.
  .exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
  });

// Only the command being run is loaded with its options (`vexil help serve` loads serve); the
// others are registered by name and summary, enough for `vexil --help` and "did you mean".
const requested = process.argv[2] === "help" ? process.argv[3] : process.argv[2];
for (const [name, subcommand] of Object.entries(subcommands)) {
  if (name === requested) (await subcommand.load())(program);
  else program.command(name).description(subcommand.summary);
}

await program.parseAsync(process.argv);
