// Engine benchmark: in-process evaluations per second of Vexil's `evaluate` against flagd's
// JavaScript core, the Unleash Node SDK and GrowthBook, on the four cases of bench/cases.ts.
//   node bench/engine.ts [--quick] [--systems vexil,flagd,unleash,growthbook] [--output json]
// Each system runs in its own child process (one after the other), is sanity-checked first and
// must stay offline (bench/engine/network-guard.ts).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describeMachine, machineInfo } from "./machine.ts";
import { parseBenchArgs, runMain, wantsJson } from "./options.ts";
import { writeResults } from "./report.ts";
import type { MeasureOptions } from "./engine/measure.ts";
import { allocationTable, timingTable, verdicts, verdictTable } from "./engine/summary.ts";
import { RESULT_PREFIX, SYSTEM_IDS, type SystemId, type WorkerOutput } from "./engine/protocol.ts";

const WORKER = fileURLToPath(new URL("./engine/worker.ts", import.meta.url));

function runWorker(id: SystemId, options: MeasureOptions): Promise<WorkerOutput> {
  // --expose-gc: a collection before each round, so one round's garbage is not the next one's pause.
  // --no-experimental-webstorage: a server has no localStorage (GrowthBook probes for it).
  const args = ["--expose-gc", "--no-experimental-webstorage", WORKER, id, JSON.stringify(options)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined)
        reject(new Error(`engine worker for ${id} exited with ${code}:\n${stdout}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerOutput);
    });
  });
}

function readOptions(argv: string[]): { systems: SystemId[]; measure: MeasureOptions; json: boolean } {
  const values = parseBenchArgs(argv);
  const systems = (values.systems ?? SYSTEM_IDS.join(",")).split(",").map((s) => s.trim()) as SystemId[];
  const unknown = systems.filter((s) => !(SYSTEM_IDS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(`unknown system(s) ${unknown.join(", ")}; choose from ${SYSTEM_IDS.join(", ")}`);
  const measure = values.quick ? { warmupMs: 150, roundMs: 50, rounds: 3 } : { warmupMs: 500, roundMs: 150, rounds: 7 };
  if (values.rounds !== undefined) {
    const rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
      throw new Error(`--rounds must be an integer 1-50, got "${values.rounds}"`);
    measure.rounds = rounds;
  }
  return { systems, measure, json: wantsJson(values) };
}

function printSystem(output: WorkerOutput): void {
  const { system, sanity, network } = output;
  console.log(`  ${system.name} ${system.version} (${system.api}): sanity ${sanity.ok ? "ok" : "FAILED"}`);
  for (const [id, seen] of Object.entries(sanity.observed)) console.log(`    ${id.padEnd(8)} ${seen}`);
  for (const failure of sanity.failures) console.log(`    ✗ ${failure}`);
  for (const attempt of network) console.log(`    ✗ network use: ${attempt} (not timed)`);
}

export async function runEngineBenchmark(argv: string[]): Promise<boolean> {
  const { systems, measure, json } = readOptions(argv);
  const machine = machineInfo();
  console.log(`# Engine benchmark\n${describeMachine(machine)}`);
  console.log(
    `${measure.rounds} rounds of ~${measure.roundMs} ms after ${measure.warmupMs} ms warm-up; median ns per evaluation over 1000 rotating users\n`,
  );
  console.log("Sanity check (answers over 1000 users before timing):");
  const outputs: WorkerOutput[] = [];
  for (const id of systems) {
    const output = await runWorker(id, measure);
    printSystem(output);
    outputs.push(output);
  }
  const resultBytes = outputs.find((o) => o.system.id === "vexil")?.resultObjectBytes;
  const list = verdicts(outputs);
  console.log(`\nTime per evaluation (median) and evaluations per second:\n${timingTable(outputs)}`);
  console.log(
    `\nBytes allocated per evaluation (V8 total_allocated_bytes; a bare 5-field result object is ${resultBytes?.toFixed(0) ?? "?"} B):\n${allocationTable(outputs)}`,
  );
  console.log(`\nGoals:\n${verdictTable(list, resultBytes)}`);
  if (json) console.log(`\nwrote ${writeResults("engine", { machine, measure, systems: outputs, verdicts: list })}`);
  return outputs.every((o) => o.sanity.ok && o.network.length === 0);
}

if (import.meta.main) await runMain(() => runEngineBenchmark(process.argv.slice(2)));
