// Finds the `vexil …` / `npx vexil …` command lines in the fenced code blocks of README.md and
// docs/*.md, with the explicit markers that tell the docs test what to expect of each:
//   (docs-test: skip, REASON)  not run: it needs a running server or a cluster, or runs until stopped
//   (docs-test: exit N)        run; exit code N is the documented outcome (e.g. 1 for a broken file)
// Markers sit in the line's trailing shell comment, where a reader sees them too.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface DocCommand {
  /** README.md:45 */
  where: string;
  /** the shell command, without prompt, `npx ` and trailing comment */
  command: string;
  skip?: string;
  exitCode: number;
}

const FENCE = /^\s*```/;
const COMMAND = /^\s*(?:\$ )?(?:npx )?vexil(?:\s|$)/;
const SKIP = /\(docs-test: skip,?\s*([^)]*)\)/;
const EXIT = /\(docs-test: exit (\d+)\)/;

/** The line without a trailing `# comment` (a # outside quotes, after whitespace). */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

export function commandsIn(file: string, text: string): DocCommand[] {
  const found: DocCommand[] = [];
  let inBlock = false;
  text.split("\n").forEach((line, index) => {
    if (FENCE.test(line)) {
      inBlock = !inBlock;
      return;
    }
    if (!inBlock || !COMMAND.test(line)) return;
    const command = stripComment(line)
      .replace(/^\s*(?:\$ )?(?:npx )?/, "")
      .trim();
    const skip = SKIP.exec(line)?.[1];
    const exit = EXIT.exec(line)?.[1];
    found.push({
      where: `${file}:${index + 1}`,
      command,
      ...(skip !== undefined ? { skip: skip || "marked" } : {}),
      exitCode: exit === undefined ? 0 : Number(exit),
    });
  });
  return found;
}

/** Every command line in README.md and docs/*.md under root. */
export function documentedCommands(root: string): DocCommand[] {
  const files = [
    "README.md",
    ...readdirSync(join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) => commandsIn(file, readFileSync(join(root, file), "utf8")));
}
