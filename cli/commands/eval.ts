// `vexil eval FLAG --flags DIR --context JSON`: evaluate one flag exactly as the evaluator
// would (same load → compile → evaluate path), for debugging "why did user X get Y?".
import type { Command } from "commander";
import { compile } from "../../core/compile/compile.ts";
import { evaluate } from "../../core/evaluate/evaluate.ts";
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import { formatProblem } from "../../core/manifest/load.ts";
import { didYouMean } from "../../core/names/suggest.ts";
import type { JsonValue } from "../../core/schema/index.ts";
import { loadForEnvironment } from "../flags-input.ts";
import { ExitCode, outputOption, printJson, runAction, UsageError, type Io, type OutputFormat } from "../output.ts";

export interface EvalOptions {
  flags: string;
  env: string;
  namespace: string;
  context?: string;
  default?: string;
  output: OutputFormat;
}

function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON (${(error as Error).message}): ${text}`);
  }
}

export function parseContext(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  const value = parseJsonOption("--context", text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`--context must be a JSON object such as '{"targetingKey":"user-1","plan":"premium"}'`);
  }
  return value as Record<string, unknown>;
}

function printResult(io: Io, result: EvaluationResult, options: EvalOptions): void {
  const { output } = options;
  const shown: Record<string, unknown> = {
    key: result.key,
    value: result.value ?? null,
    variant: result.variant,
    reason: result.reason,
  };
  if (result.errorCode !== undefined) shown.errorCode = result.errorCode;
  if (result.errorMessage !== undefined) shown.errorMessage = result.errorMessage;
  if (output === "json") return printJson(io, shown);
  if (result.errorCode !== undefined) {
    io.err(`error: ${result.key}: ${result.errorCode}: ${result.errorMessage ?? "evaluation failed"}\n`);
    // the value a caller would get: the --default, said to be one
    if (options.default !== undefined)
      io.out(
        `${result.key} = ${JSON.stringify(result.value ?? null)} (the --default value, reason ${result.reason})\n`,
      );
    return;
  }
  const variant = result.variant !== undefined ? `variant "${result.variant}", ` : "";
  io.out(`${result.key} = ${JSON.stringify(result.value)} (${variant}reason ${result.reason})\n`);
}

export async function runEval(io: Io, key: string, options: EvalOptions): Promise<ExitCode> {
  const context = parseContext(options.context);
  const defaultValue =
    options.default === undefined ? undefined : (parseJsonOption("--default", options.default) as JsonValue);
  const loaded = await loadForEnvironment(options.flags, options.env);
  const output = compile(loaded.resources, { namespace: options.namespace, environment: options.env });
  const problems = [...loaded.problems, ...output.problems];
  let result = evaluate(output.snapshot, key, context, defaultValue === undefined ? {} : { defaultValue });
  if (result.errorCode === "FLAG_NOT_FOUND") {
    const keys = loaded.resources.filter((r) => r.kind === "FeatureFlag").map((r) => r.metadata.name);
    result = { ...result, errorMessage: `${result.errorMessage ?? `flag "${key}" not found`}${didYouMean(key, keys)}` };
  }
  // the flag's own problems explain a FLAG_NOT_FOUND; others are only counted
  const own = problems.filter((p) => p.name === key && p.kind === "FeatureFlag");
  for (const problem of own) io.err(`${formatProblem(problem)}\n`);
  if (problems.length > own.length) {
    io.err(
      `warning: ${problems.length - own.length} other problem(s) in ${options.flags}; run: vexil validate ${options.flags}\n`,
    );
  }
  printResult(io, result, options);
  return result.errorCode === undefined ? ExitCode.OK : ExitCode.PROBLEMS;
}

export function registerEval(program: Command): Command {
  const command = program
    .command("eval")
    .description("evaluate one flag for a context, as the evaluator would")
    .argument("<flag>", "flag key")
    .requiredOption("--flags <dir>", "directory (or file) of manifests")
    .option("--env <environment>", "environment", "production")
    .option("--namespace <namespace>", "namespace", "default")
    .option("--context <json>", 'evaluation context, e.g. \'{"targetingKey":"user-1","plan":"premium"}\'')
    .option("--default <json>", "value returned when the flag cannot be evaluated")
    .addOption(outputOption());
  command.action(runAction(command, (io, key: string, options: EvalOptions) => runEval(io, key, options)));
  return command;
}
