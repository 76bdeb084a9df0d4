// Per-file memory of the flag folder's last good load. Editors save in steps (truncate, then
// write; or write elsewhere, delete, rename), so a file caught empty, unparsable or missing is
// served with its last good content: an empty or unparsable file until it parses again, a
// missing file until it has stayed missing for `graceMs` (then its flags are really gone).
import { stat } from "node:fs/promises";
import type { AnyResource, ManifestProblem } from "../../core/manifest/load.ts";
import { sourceOf } from "../../core/manifest/source.ts";

export interface MergedLoad {
  resources: AnyResource[];
  problems: ManifestProblem[];
  /** files served from their last good content, and why */
  kept: { file: string; reason: "empty" | "unparsable" | "missing" }[];
  /** when set, reload again after this long: a missing file's grace period ends then */
  recheckInMs?: number;
}

function byFile<T>(items: readonly T[], fileOf: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const file = fileOf(item);
    if (file === undefined) continue;
    const list = out.get(file) ?? [];
    list.push(item);
    out.set(file, list);
  }
  return out;
}

export class LastGoodFiles {
  readonly #graceMs: number;
  #good = new Map<string, AnyResource[]>();
  readonly #missingSince = new Map<string, number>();

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** Substitute the last good content of files that are empty, unparsable or briefly missing. */
  async merge(
    loaded: { resources: AnyResource[]; problems: ManifestProblem[] },
    now = Date.now(),
  ): Promise<MergedLoad> {
    const resources = byFile(loaded.resources, (r) => sourceOf(r).file);
    const problems = byFile(loaded.problems, (p) => p.file);
    const merged: MergedLoad = { resources: [...loaded.resources], problems: [...loaded.problems], kept: [] };
    for (const [file, good] of this.#good) {
      const broken = problems.get(file);
      if (broken !== undefined) {
        merged.problems = merged.problems.filter((p) => !broken.includes(p));
        merged.resources = merged.resources.filter((r) => !(resources.get(file) ?? []).includes(r));
        merged.resources.push(...good);
        merged.kept.push({ file, reason: "unparsable" });
        continue;
      }
      if (resources.has(file)) {
        this.#missingSince.delete(file);
        continue;
      }
      const exists = await stat(file).then(
        () => true,
        () => false,
      );
      if (exists) {
        merged.resources.push(...good);
        merged.kept.push({ file, reason: "empty" });
        continue;
      }
      const since = this.#missingSince.get(file) ?? now;
      this.#missingSince.set(file, since);
      const left = since + this.#graceMs - now;
      if (left <= 0) continue; // gone for good: its flags go with it
      merged.resources.push(...good);
      merged.kept.push({ file, reason: "missing" });
      merged.recheckInMs = Math.min(merged.recheckInMs ?? Infinity, left + 1);
    }
    return merged;
  }

  /** After a good load: remember each file's resources (files kept from before keep theirs). */
  remember(merged: MergedLoad): void {
    const kept = new Set(merged.kept.map((k) => k.file));
    const next = byFile(merged.resources, (r) => sourceOf(r).file);
    for (const file of kept) next.set(file, this.#good.get(file) ?? []);
    this.#good = next;
    for (const file of this.#missingSince.keys()) if (!kept.has(file)) this.#missingSince.delete(file);
  }
}
