// Load manifests from files and directories: recursive, sorted for deterministic output,
// skipping dotfiles (editor swap files, .git). An unreadable path is a problem, never a crash.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseManifests } from "./parse.ts";
import { ProblemCode, type ManifestProblem } from "./problem.ts";
import type { AnyResource } from "./resource.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

function readProblem(file: string, error: unknown): ManifestProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : String(error);
  return { file, code: ProblemCode.READ_ERROR, message: `cannot read: ${reason}` };
}

async function collect(path: string, files: string[], problems: ManifestProblem[], explicit: boolean): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    problems.push(readProblem(path, error));
    return;
  }
  if (!info.isDirectory()) {
    if (explicit || MANIFEST_FILE.test(path)) files.push(path);
    return;
  }
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (error) {
    problems.push(readProblem(path, error));
    return;
  }
  for (const entry of entries.sort()) {
    if (!entry.startsWith(".")) await collect(join(path, entry), files, problems, false);
  }
}

/**
 * Load every *.yaml, *.yml and *.json under the given files and directories and check each
 * document against the schema. Files named explicitly are read whatever their extension.
 * Checks across resources (references, duplicates) are validate/'s: validateManifestPaths, or
 * compile, which runs them on the way.
 */
export async function loadManifestPaths(
  paths: string[],
): Promise<{ resources: AnyResource[]; problems: ManifestProblem[] }> {
  const files: string[] = [];
  const problems: ManifestProblem[] = [];
  for (const path of paths) await collect(path, files, problems, true);
  const resources: AnyResource[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      problems.push(readProblem(file, error));
      continue;
    }
    const parsed = parseManifests(text, file);
    resources.push(...parsed.resources);
    problems.push(...parsed.problems);
  }
  return { resources, problems };
}
