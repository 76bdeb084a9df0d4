// Write the generated files, or compare them with what is on disk (--check, run by CI).
import * as fs from "node:fs";
import * as path from "node:path";

export interface StaleFile {
  path: string;
  problem: "missing" | "differs";
  /** First differing line (1-based) and both versions of it, to say what changed. */
  line?: number;
  expected?: string;
  actual?: string;
}

function firstDifference(expected: string, actual: string): Pick<StaleFile, "line" | "expected" | "actual"> {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, expected: a[i] ?? "<end of file>", actual: b[i] ?? "<end of file>" };
  }
  return {};
}

/** Files under `root` whose content differs from `files` (path relative to root → content). */
export function staleFiles(root: string, files: Map<string, string>): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) {
      stale.push({ path: file, problem: "missing" });
      continue;
    }
    const actual = fs.readFileSync(full, "utf8");
    if (actual !== content) stale.push({ path: file, problem: "differs", ...firstDifference(content, actual) });
  }
  return stale;
}

export function describeStale(stale: readonly StaleFile[]): string {
  const lines = stale.map((file) =>
    file.problem === "missing"
      ? `  ${file.path}: missing`
      : `  ${file.path}: differs at line ${file.line}\n    expected: ${file.expected}\n    found:    ${file.actual}`,
  );
  return [`${stale.length} generated file(s) out of date; run \`npm run generate\`:`, ...lines].join("\n");
}

/** Writes files that changed; returns the paths written. */
export function writeFiles(root: string, files: Map<string, string>): string[] {
  const written: string[] = [];
  for (const [file, content] of files) {
    const full = path.join(root, file);
    if (fs.existsSync(full) && fs.readFileSync(full, "utf8") === content) continue;
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    written.push(file);
  }
  return written;
}
