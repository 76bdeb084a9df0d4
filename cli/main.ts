#!/usr/bin/env node
// The `vexil` command. Each subcommand lives in its own file under cli/commands/. Only the
// subcommand being run is imported: `serve` and `operator` pull in express and the Kubernetes
// client, which would otherwise add seconds to `vexil validate` and `vexil eval`.
import { Command } from "commander";

type Register = (program: Command) => void;
const subcommands: Record<string, () => Promise<Register>> = {
  validate: async () => (await import("./commands/validate.ts")).registerValidate,
  eval: async () => (await import("./commands/eval.ts")).registerEval,
  compile: async () => (await import("./commands/compile.ts")).registerCompile,
  serve: async () => (await import("./commands/serve.ts")).registerServe,
  operator: async () => (await import("./commands/operator.ts")).registerOperator,
  experiment: async () => (await import("./commands/experiment.ts")).registerExperiment,
  flags: async () => (await import("./commands/flags-stale.ts")).registerFlagsStale,
  generate: async () => (await import("./commands/generate.ts")).registerGenerate,
};

const program = new Command("vexil")
  .description("Kubernetes-native feature flags")
  .version(process.env.npm_package_version ?? "0.1.0")
  .showHelpAfterError();

const requested = process.argv[2];
const names = requested !== undefined && Object.hasOwn(subcommands, requested) ? [requested] : Object.keys(subcommands);
for (const name of names) {
  const load = subcommands[name];
  if (load) (await load())(program);
}

await program.parseAsync(process.argv);
