// One reload of a flag folder, start to finish: read and parse every file, substitute the last
// good content of files caught mid-save (./last-good-files.ts), validate and compile. It holds
// the per-file memory between reloads, so one instance serves one folder for its lifetime. It
// runs inside the compile thread (./compile-thread.ts), off the event loop that answers requests.
import { compile } from "../../core/compile/compile.ts";
import { formatProblem, loadManifestPaths } from "../../core/manifest/load.ts";
import type { ExperimentResource } from "../../core/schema/index.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { LastGoodFiles } from "./last-good-files.ts";

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

export class FolderCompiler {
  readonly #target: FolderTarget;
  readonly #files: LastGoodFiles;

  constructor(target: FolderTarget) {
    this.#target = target;
    this.#files = new LastGoodFiles(target.graceMs);
  }

  async run(): Promise<FolderCompileResult> {
    const { dir, namespace, environment } = this.#target;
    let warnings: string[] = [];
    try {
      const loaded = await loadManifestPaths([dir]);
      warnings = loaded.warnings.map((w) => formatProblem(w));
      const merged = await this.#files.merge(loaded);
      const recheck = merged.recheckInMs === undefined ? {} : { recheckInMs: merged.recheckInMs };
      const compiled = merged.problems.length > 0 ? undefined : compile(merged.resources, { namespace, environment });
      const problems = [...merged.problems, ...(compiled?.problems ?? [])];
      if (problems.length > 0 || compiled === undefined) {
        const detail = problems.map((p) => formatProblem(p)).join("\n");
        return { ok: false, outcome: "invalid", problems: problems.length, detail, warnings, ...recheck };
      }
      this.#files.remember(merged);
      const experiments = merged.resources.filter((r): r is ExperimentResource => r.kind === "Experiment");
      return { ok: true, snapshot: compiled.snapshot, kept: merged.kept, experiments, warnings, ...recheck };
    } catch (error) {
      return { ok: false, outcome: "error", problems: 1, detail: (error as Error).message, warnings };
    }
  }
}
