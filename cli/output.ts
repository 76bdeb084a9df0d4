// Output conventions shared by the CLI commands: human text by default, `--output json` for
// scripts, and exit codes 0 (ok), 1 (problems found or evaluation failed), 2 (bad usage).
import { CommanderError, Option, type Command } from "commander";

export const ExitCode = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type OutputFormat = "human" | "json";

/** Where a command writes; tests pass their own, the CLI passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function outputOption(fallback: OutputFormat = "human", help = "human or json"): Option {
  return new Option("-o, --output <format>", help).choices(["human", "json"]).default(fallback);
}

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A usage error raised while running a command (e.g. --context that is not JSON). */
export class UsageError extends Error {}

/**
 * Wire a command's runner to the process: usage errors (commander's own and UsageError)
 * exit 2 with the message, everything else sets the runner's exit code.
 */
export function runAction<A extends unknown[]>(command: Command, run: (io: Io, ...args: A) => Promise<ExitCode>) {
  command.exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
  });
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = await run(processIo, ...args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      processIo.err(`error: ${error.message}\n`);
      process.exitCode = ExitCode.USAGE;
    }
  };
}
