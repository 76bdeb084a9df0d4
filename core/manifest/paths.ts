// Load manifests from files and directories: recursive, sorted for deterministic output,
// skipping dotfiles (editor swap files, .git). An unreadable path is a problem, never a crash.
// Inside a directory, what cannot be a manifest file is skipped with a warning: FIFOs and
// sockets (reading one would block forever), symlink loops and directories already walked.
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { join } from "node:path";
import { MAX_MANIFEST_FILE_BYTES } from "../limits.ts";
import { parseManifests } from "./parse.ts";
import { ProblemCode, type ManifestProblem } from "./problem.ts";
import type { AnyResource } from "./resource.ts";
import { decodeUtf8 } from "./utf8.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface LoadedManifests {
  resources: AnyResource[];
  problems: ManifestProblem[];
  /** entries skipped inside directories (not regular files, symlink loops); loading went on */
  warnings: ManifestProblem[];
}

function readProblem(file: string, error: unknown): ManifestProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "ELOOP"
          ? "too many levels of symbolic links (a symlink loop)"
          : String(error);
  return { file, code: ProblemCode.READ_ERROR, message: `cannot read: ${reason}` };
}

function fileType(info: Stats): string {
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  return "not a regular file";
}

interface Walk {
  files: string[];
  problems: ManifestProblem[];
  warnings: ManifestProblem[];
  /** real paths of directories already walked: a symlink back up the tree is walked once */
  directories: Set<string>;
}

async function collectDirectory(path: string, walk: Walk, explicit: boolean): Promise<void> {
  const real = await realpath(path).catch(() => path);
  if (walk.directories.has(real)) {
    const message = `skipped: a symlink loop back to ${real}, already read`;
    walk.warnings.push({ file: path, code: ProblemCode.READ_ERROR, message });
    return;
  }
  walk.directories.add(real);
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (error) {
    (explicit ? walk.problems : walk.warnings).push(readProblem(path, error));
    return;
  }
  for (const entry of entries.sort()) {
    if (!entry.startsWith(".")) await collect(join(path, entry), walk, false);
  }
}

async function collect(path: string, walk: Walk, explicit: boolean): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    const problem = readProblem(path, error);
    // a dangling or looping symlink inside a folder is skipped; a path given by name is an error
    if (!explicit && (error as NodeJS.ErrnoException).code === "ELOOP") {
      walk.warnings.push({ ...problem, message: `skipped: ${problem.message.replace("cannot read: ", "")}` });
    } else walk.problems.push(problem);
    return;
  }
  if (info.isDirectory()) return collectDirectory(path, walk, explicit);
  if (!explicit && !MANIFEST_FILE.test(path)) return;
  if (!info.isFile()) {
    const message = `${explicit ? "cannot read" : "skipped"}: ${fileType(info)}, not a manifest file`;
    (explicit ? walk.problems : walk.warnings).push({ file: path, code: ProblemCode.READ_ERROR, message });
    return;
  }
  if (info.size > MAX_MANIFEST_FILE_BYTES) {
    const message = `the file is ${info.size} bytes, more than the ${MAX_MANIFEST_FILE_BYTES}-byte limit per manifest file: split it`;
    walk.problems.push({ file: path, code: ProblemCode.FILE_TOO_LARGE, message });
    return;
  }
  walk.files.push(path);
}

/** The file's text, or the problem with it (unreadable, or not UTF-8: the offset is named). */
export async function readManifestFile(file: string): Promise<{ text: string } | { problem: ManifestProblem }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { problem: readProblem(file, error) };
  }
  const decoded = decodeUtf8(bytes);
  if ("text" in decoded) return decoded;
  const message = `not valid UTF-8: byte 0x${decoded.byte.toString(16).padStart(2, "0")} at offset ${decoded.offset} (save the file as UTF-8)`;
  return { problem: { file, code: ProblemCode.INVALID_UTF8, message } };
}

/**
 * Load every *.yaml, *.yml and *.json under the given files and directories and check each
 * document against the schema. Files named explicitly are read whatever their extension.
 * Checks across resources (references, duplicates) are validate/'s: validateManifestPaths, or
 * compile, which runs them on the way.
 */
export async function loadManifestPaths(
  paths: string[],
  options: {
    /** each file's text as read (a caller that keeps last good versions) */ onText?: (
      file: string,
      text: string,
    ) => void;
  } = {},
): Promise<LoadedManifests> {
  const walk: Walk = { files: [], problems: [], warnings: [], directories: new Set() };
  for (const path of paths) await collect(path, walk, true);
  const { problems } = walk;
  const resources: AnyResource[] = [];
  for (const file of walk.files) {
    const read = await readManifestFile(file);
    if ("problem" in read) {
      problems.push(read.problem);
      continue;
    }
    options.onText?.(file, read.text);
    const parsed = parseManifests(read.text, file);
    resources.push(...parsed.resources);
    problems.push(...parsed.problems);
  }
  return { resources, problems, warnings: walk.warnings };
}
