// One reload of a flag folder, start to finish: read and parse every file, substitute the last
// good content of files caught mid-save (./last-good-files.ts), validate and compile. The
// folder's memory between reloads comes in and goes out as plain data, so this runs the same on
// the event loop (small folders) or on a short-lived compile thread (./compile-thread.ts).
import { compile } from "../../core/compile/compile.ts";
import { formatProblem, loadManifestPaths } from "../../core/manifest/load.ts";
import type { ExperimentResource } from "../../core/schema/index.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import {
  mergeWithLastGood,
  rememberGood,
  rememberRejected,
  type FolderMemory,
  type MergedLoad,
} from "./last-good-files.ts";

export interface FolderTarget {
  dir: string;
  namespace: string;
  environment: string;
  /** how long a missing file keeps serving its last good content */
  graceMs: number;
}

interface Common {
  /** skipped entries (FIFOs, symlink loops...), one line each */
  warnings: string[];
  /** reload again after this long (a missing file's grace period ends then) */
  recheckInMs?: number;
}

export type FolderCompileResult =
  | (Common & {
      ok: true;
      snapshot: Snapshot;
      /** files served from their last good content, and why */
      kept: { file: string; reason: string }[];
      /** the folder's experiments, for the event store's definitions */
      experiments: ExperimentResource[];
    })
  | (Common & { ok: false; outcome: "invalid" | "error"; problems: number; detail: string });

export interface FolderCompile {
  result: FolderCompileResult;
  memory: FolderMemory;
}

export async function compileFolder(target: FolderTarget, memory: FolderMemory): Promise<FolderCompile> {
  const { dir, namespace, environment } = target;
  const read = new Map<string, string>();
  let warnings: string[] = [];
  let merged: MergedLoad | undefined;
  try {
    const loaded = await loadManifestPaths([dir], { onText: (file, text) => read.set(file, text) });
    warnings = loaded.warnings.map((w) => formatProblem(w));
    merged = await mergeWithLastGood(loaded, memory, target.graceMs);
    const recheck = merged.recheckInMs === undefined ? {} : { recheckInMs: merged.recheckInMs };
    const compiled = merged.problems.length > 0 ? undefined : compile(merged.resources, { namespace, environment });
    const problems = [...merged.problems, ...(compiled?.problems ?? [])];
    if (problems.length > 0 || compiled === undefined) {
      const detail = problems.map((p) => formatProblem(p)).join("\n");
      const result = { ok: false as const, outcome: "invalid" as const, problems: problems.length, detail, warnings };
      return { result: { ...result, ...recheck }, memory: rememberRejected(merged, memory) };
    }
    const experiments = merged.resources.filter((r): r is ExperimentResource => r.kind === "Experiment");
    const result = { ok: true as const, snapshot: compiled.snapshot, kept: merged.kept, experiments, warnings };
    return { result: { ...result, ...recheck }, memory: rememberGood(merged, read, memory) };
  } catch (error) {
    const result = { ok: false as const, outcome: "error" as const, problems: 1, detail: (error as Error).message };
    return { result: { ...result, warnings }, memory: rememberRejected(merged, memory) };
  }
}
