// `npm run bench`: the engine benchmark, then the HTTP benchmark when a flagd binary is given
// (FLAGD_BIN) or --http asks for it (Vexil alone then). Options pass through to both.
import { FLAGD_HINT, runHttpBenchmark } from "./http.ts";
import { runEngineBenchmark } from "./engine.ts";
import { runMain } from "./options.ts";

async function runAll(argv: string[]): Promise<boolean> {
  const ok = await runEngineBenchmark(argv);
  if (process.env.FLAGD_BIN || argv.includes("--http")) {
    console.log("");
    await runHttpBenchmark(argv);
  } else {
    console.log(`\nHTTP benchmark skipped. ${FLAGD_HINT} Or pass --http to measure Vexil alone.`);
  }
  return ok;
}

await runMain(() => runAll(process.argv.slice(2)));
