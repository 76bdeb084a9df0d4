// Per-file memory of the flag folder's last good load. Editors save in steps (truncate, then
// write; or write elsewhere, delete, rename), so a file caught empty, unparsable or missing is
// served with its last good content: an empty or unparsable file until it parses again, a
// missing file until it has stayed missing for `graceMs` (then its flags are really gone).
// The memory is plain data (each file's last good text, and since when a file is missing), so it
// survives the short-lived compile threads that use it: the text is parsed again when needed.
import { stat } from "node:fs/promises";
import { parseManifests, type AnyResource, type ManifestProblem } from "../../core/manifest/load.ts";
import { sourceOf } from "../../core/manifest/source.ts";

export interface FolderMemory {
  /** file → its text at the last good load */
  texts: Record<string, string>;
  /** file → when it was first found missing (ms since the epoch) */
  missingSince: Record<string, number>;
}

export const emptyMemory = (): FolderMemory => ({ texts: {}, missingSince: {} });

export interface MergedLoad {
  resources: AnyResource[];
  problems: ManifestProblem[];
  /** files served from their last good content, and why */
  kept: { file: string; reason: "empty" | "unparsable" | "missing" }[];
  /** when set, reload again after this long: a missing file's grace period ends then */
  recheckInMs?: number;
  /** the memory to keep if this load is good */
  missingSince: Record<string, number>;
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

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Substitute the last good content of files that are empty, unparsable or briefly missing. */
export async function mergeWithLastGood(
  loaded: { resources: AnyResource[]; problems: ManifestProblem[] },
  memory: FolderMemory,
  graceMs: number,
  now = Date.now(),
): Promise<MergedLoad> {
  const resources = byFile(loaded.resources, (r) => sourceOf(r).file);
  const problems = byFile(loaded.problems, (p) => p.file);
  const merged: MergedLoad = {
    resources: [...loaded.resources],
    problems: [...loaded.problems],
    kept: [],
    missingSince: {},
  };
  for (const [file, text] of Object.entries(memory.texts)) {
    const good = () => parseManifests(text, file).resources;
    const broken = problems.get(file);
    if (broken !== undefined) {
      merged.problems = merged.problems.filter((p) => !broken.includes(p));
      merged.resources = merged.resources.filter((r) => !(resources.get(file) ?? []).includes(r));
      merged.resources.push(...good());
      merged.kept.push({ file, reason: "unparsable" });
      continue;
    }
    if (resources.has(file)) continue;
    if (await exists(file)) {
      merged.resources.push(...good());
      merged.kept.push({ file, reason: "empty" });
      continue;
    }
    const since = memory.missingSince[file] ?? now;
    const left = since + graceMs - now;
    if (left <= 0) continue; // gone for good: its flags go with it
    merged.missingSince[file] = since;
    merged.resources.push(...good());
    merged.kept.push({ file, reason: "missing" });
    merged.recheckInMs = Math.min(merged.recheckInMs ?? Infinity, left + 1);
  }
  return merged;
}

/**
 * After a good load: the text of each file that gave resources, as read this time, except files
 * kept from before, which keep their last good text. `read` holds every file read in this load.
 */
export function rememberGood(
  merged: MergedLoad,
  read: ReadonlyMap<string, string>,
  memory: FolderMemory,
): FolderMemory {
  const kept = new Set(merged.kept.map((k) => k.file));
  const withResources = new Set(merged.resources.map((r) => sourceOf(r).file));
  const texts: Record<string, string> = {};
  for (const [file, text] of read) if (!kept.has(file) && withResources.has(file)) texts[file] = text;
  for (const file of kept) texts[file] = memory.texts[file] ?? "";
  return { texts, missingSince: merged.missingSince };
}

/** What a rejected load leaves in memory: the texts as they were, and the files' missing times. */
export function rememberRejected(merged: MergedLoad | undefined, memory: FolderMemory): FolderMemory {
  return merged === undefined
    ? memory
    : { texts: memory.texts, missingSince: { ...memory.missingSince, ...merged.missingSince } };
}

/** The memory's size in characters: how big the folder was at its last good load. */
export function memorySize(memory: FolderMemory): number {
  let size = 0;
  for (const text of Object.values(memory.texts)) size += text.length;
  return size;
}
