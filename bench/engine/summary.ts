// Reading the measurements against the goals: Vexil at least 2× faster than the fastest peer in
// every case, and no allocation per evaluation beyond the result object.
import { CASE_IDS, CASE_TITLES, type CaseId } from "../cases.ts";
import { formatNs, formatRate, markdownTable } from "../report.ts";
import type { WorkerOutput } from "./protocol.ts";

export const SPEEDUP_GOAL = 2;
/** Slack over a bare result object before an evaluation counts as allocating more (bytes). */
const ALLOCATION_SLACK = 8;

export interface CaseVerdict {
  case: CaseId;
  vexilNs: number | undefined;
  fastestPeer: string | undefined;
  fastestPeerNs: number | undefined;
  /** fastest peer's ns / Vexil's ns: 2 means Vexil is twice as fast */
  speedup: number | undefined;
  speedupGoalMet: boolean;
  vexilBytes: number | undefined;
  allocationGoalMet: boolean;
}

export function verdicts(outputs: readonly WorkerOutput[]): CaseVerdict[] {
  const vexil = outputs.find((o) => o.system.id === "vexil");
  const peers = outputs.filter((o) => o.system.id !== "vexil");
  return CASE_IDS.map((id) => {
    const vexilCase = vexil?.cases[id];
    let fastest: { name: string; ns: number } | undefined;
    for (const peer of peers) {
      const ns = peer.cases[id]?.nsPerEval;
      if (ns !== undefined && (fastest === undefined || ns < fastest.ns)) fastest = { name: peer.system.name, ns };
    }
    const speedup = vexilCase && fastest ? fastest.ns / vexilCase.nsPerEval : undefined;
    const limit = (vexil?.resultObjectBytes ?? 0) + ALLOCATION_SLACK;
    return {
      case: id,
      vexilNs: vexilCase?.nsPerEval,
      fastestPeer: fastest?.name,
      fastestPeerNs: fastest?.ns,
      speedup,
      speedupGoalMet: speedup !== undefined && speedup >= SPEEDUP_GOAL,
      vexilBytes: vexilCase?.bytesPerEval,
      allocationGoalMet: vexilCase !== undefined && vexilCase.bytesPerEval <= limit,
    };
  });
}

export function timingTable(outputs: readonly WorkerOutput[]): string {
  const header = ["case", ...outputs.flatMap((o) => [`${o.system.name} ns/eval`, "ops/s"])];
  const rows = CASE_IDS.map((id) => [
    CASE_TITLES[id],
    ...outputs.flatMap((o) => {
      const c = o.cases[id];
      return c ? [formatNs(c.nsPerEval), formatRate(1e9 / c.nsPerEval)] : ["—", "—"];
    }),
  ]);
  return markdownTable(header, rows);
}

export function allocationTable(outputs: readonly WorkerOutput[]): string {
  const header = ["case", ...outputs.map((o) => `${o.system.name} B/eval`)];
  const rows = CASE_IDS.map((id) => [
    CASE_TITLES[id],
    ...outputs.map((o) => o.cases[id]?.bytesPerEval.toFixed(0) ?? "—"),
  ]);
  return markdownTable(header, rows);
}

export function verdictTable(list: readonly CaseVerdict[], resultObjectBytes: number | undefined): string {
  const header = [
    "case",
    "Vexil",
    "fastest peer",
    "Vexil speed-up",
    `≥${SPEEDUP_GOAL}×`,
    "Vexil B/eval",
    "only the result",
  ];
  const rows = list.map((v) => [
    CASE_TITLES[v.case],
    v.vexilNs === undefined ? "—" : formatNs(v.vexilNs),
    v.fastestPeer === undefined ? "—" : `${v.fastestPeer} ${formatNs(v.fastestPeerNs!)}`,
    v.speedup === undefined ? "—" : `${v.speedup.toFixed(2)}×`,
    v.speedupGoalMet ? "met" : "NOT met",
    v.vexilBytes === undefined ? "—" : v.vexilBytes.toFixed(0),
    v.allocationGoalMet ? "met" : `NOT met (bare result: ${resultObjectBytes?.toFixed(0) ?? "?"} B)`,
  ]);
  return markdownTable(header, rows);
}
