#!/usr/bin/env node
// The `vexil` command. Each subcommand lives in its own file under cli/commands/.
import { Command } from "commander";
import { registerValidate } from "./commands/validate.ts";
import { registerEval } from "./commands/eval.ts";
import { registerCompile } from "./commands/compile.ts";
import { registerServe } from "./commands/serve.ts";
import { registerOperator } from "./commands/operator.ts";

const program = new Command("vexil")
  .description("Kubernetes-native feature flags")
  .version(process.env.npm_package_version ?? "0.1.0")
  .showHelpAfterError();

registerValidate(program);
registerEval(program);
registerCompile(program);
registerServe(program);
registerOperator(program);

await program.parseAsync(process.argv);
