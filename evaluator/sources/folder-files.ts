// The flag folder's files as loading sees them: regular files, none inside a dot file or folder
// (.git, and .vexil where the embedded event store writes). The watcher, the periodic rescan and
// the size check before a first reload all walk the folder this way.
import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** A path (relative to the flag folder) inside a dot file or folder, which loading skips too. */
export function isHidden(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => part.startsWith("."));
}

/** Every visible file under `dir`, sorted, with its stat (undefined when it vanished meanwhile). */
export async function folderFiles(dir: string): Promise<{ file: string; stats: Stats | undefined }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !isHidden(path.relative(dir, file)))
    .sort();
  return Promise.all(files.map(async (file) => ({ file, stats: await stat(file).catch(() => undefined) })));
}
