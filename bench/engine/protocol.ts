// What an engine worker process reports to bench/engine.ts (kept apart from worker.ts so the
// parent does not load the peers' libraries).
import type { CaseId } from "../cases.ts";
import type { Timing } from "./measure.ts";
import type { SanityReport } from "./sanity.ts";

export const SYSTEM_IDS = ["vexil", "flagd", "unleash", "growthbook"] as const;
export type SystemId = (typeof SYSTEM_IDS)[number];

export interface CaseMeasurement extends Timing {
  bytesPerEval: number;
}

export interface WorkerOutput {
  system: { id: SystemId; name: string; version: string; api: string };
  sanity: SanityReport;
  network: readonly string[];
  /** allocation of a bare result object in this process, the yardstick for "only the result" */
  resultObjectBytes: number;
  cases: Partial<Record<CaseId, CaseMeasurement>>;
}

/** The worker prints its output as one JSON line after this prefix. */
export const RESULT_PREFIX = "BENCH_RESULT ";
