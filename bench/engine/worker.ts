// One system per process (spawned by bench/engine.ts): its JIT state and garbage cannot slow
// down another system's timings. Prints one JSON line with the sanity report and measurements.
import { benchUsers, CASE_IDS } from "../cases.ts";
import { flagdSystem } from "../systems/flagd.ts";
import { growthbookSystem } from "../systems/growthbook.ts";
import type { BenchSystem } from "../systems/system.ts";
import { unleashSystem } from "../systems/unleash.ts";
import { vexilSystem } from "../systems/vexil.ts";
import { measureAllocation, measureTime, resultObjectBytes, type MeasureOptions } from "./measure.ts";
import { RESULT_PREFIX, type SystemId, type WorkerOutput } from "./protocol.ts";
import { guardNetwork, networkAttempts } from "./network-guard.ts";
import { checkSystem } from "./sanity.ts";

const SYSTEMS: Record<SystemId, () => BenchSystem | Promise<BenchSystem>> = {
  vexil: () => vexilSystem(),
  flagd: () => flagdSystem(),
  unleash: () => unleashSystem(),
  growthbook: () => growthbookSystem(),
};

async function runWorker(id: SystemId, options: MeasureOptions): Promise<WorkerOutput> {
  guardNetwork();
  const system: BenchSystem = await SYSTEMS[id]();
  const sanity = checkSystem(system);
  const contexts = system.contexts(benchUsers());
  const output: WorkerOutput = {
    system: { id, name: system.name, version: system.version, api: system.api },
    sanity,
    network: networkAttempts(),
    resultObjectBytes: resultObjectBytes(contexts),
    cases: {},
  };
  if (sanity.ok && output.network.length === 0) {
    for (const caseId of CASE_IDS) {
      const { run } = system.cases[caseId];
      const timing = measureTime(run, contexts, options);
      output.cases[caseId] = { ...timing, bytesPerEval: measureAllocation(run, contexts) };
    }
  }
  system.close?.();
  output.network = networkAttempts();
  return output;
}

if (import.meta.main) {
  const [id, json] = process.argv.slice(2);
  if (id === undefined || !Object.hasOwn(SYSTEMS, id) || json === undefined) {
    process.stderr.write(`usage: node bench/engine/worker.ts <${Object.keys(SYSTEMS).join("|")}> '<options json>'\n`);
    process.exit(2);
  }
  const output = await runWorker(id as SystemId, JSON.parse(json) as MeasureOptions);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(output)}\n`);
}
