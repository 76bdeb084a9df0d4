// The command-line options of every benchmark, in one place: `npm run bench` passes the same
// arguments to the engine and the HTTP benchmark, so each must accept the other's options.
import { parseArgs } from "node:util";

export function parseBenchArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      http: { type: "boolean", default: false },
      output: { type: "string" },
      // engine
      systems: { type: "string" },
      rounds: { type: "string" },
      // statistics
      users: { type: "string" },
      // http
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "50" },
      flags: { type: "string", default: "10000" },
      flagd: { type: "string" },
    },
  }).values;
}

/** Whether `--output json` was given. */
export function wantsJson(values: { output?: string }): boolean {
  if (values.output !== undefined && values.output !== "json")
    throw new Error(`--output takes "json", got "${values.output}"`);
  return values.output === "json";
}

/** Runs a benchmark's entry point: a bad option or failed run prints one line and exits non-zero. */
export async function runMain(main: () => Promise<boolean | void>): Promise<void> {
  try {
    if ((await main()) === false) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
