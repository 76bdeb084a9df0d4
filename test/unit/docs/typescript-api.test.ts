// docs/typescript-api.md is true to the code: every ```ts block runs as its own module on the
// pinned Node 26 with "vexil" resolved to this repository's entry point, and must finish without
// throwing. Blocks that need a cluster start with `// (docs-test: skip, REASON)`.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const DOC = "docs/typescript-api.md";
/** "vexil" and "vexil/<sub>" → the source files behind package.json's exports (dist/x.js → x.ts). */
function sourceEntries(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    exports: Record<string, { default?: string } | string>;
  };
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    const file = typeof target === "string" ? target : target.default;
    if (file === undefined || !file.startsWith("./dist/")) continue;
    const source = join(ROOT, file.slice("./dist/".length).replace(/\.js$/, ".ts"));
    entries.set(key === "." ? "vexil" : `vexil/${key.slice(2)}`, pathToFileURL(source).href);
  }
  return entries;
}
const ENTRIES = sourceEntries();

interface Block {
  line: number;
  code: string;
  skip?: string;
}

function tsBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (current === undefined && line === "```ts") current = { line: index + 1, code: "" };
    else if (current !== undefined && line === "```") {
      const skip = /^\s*\/\/ \(docs-test: skip,?\s*([^)]*)\)/.exec(current.code)?.[1];
      blocks.push(skip === undefined ? current : { ...current, skip: skip || "marked" });
      current = undefined;
    } else if (current !== undefined) current.code += `${raw}\n`;
  });
  return blocks;
}

const blocks = tsBlocks(readFileSync(join(ROOT, DOC), "utf8"));
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vexil-ts-docs-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function run(file: string): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(join(ROOT, "node_modules/.bin/node"), [file], { cwd: work, timeout: 60_000 }, (error, _out, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr }),
    );
  });
}

describe(`${DOC} examples`, () => {
  it("has an example for the API's methods", () => {
    const all = blocks.map((b) => b.code).join("\n");
    for (const method of [
      "createFlag",
      "updateFlag",
      "deleteFlag",
      "getFlag",
      "listFlags",
      "setKillSwitch",
      "killSwitch",
      "restoreFlag",
      "addSegment",
      "removeSegment",
      "listSegments",
      "createSegment",
      "updateSegment",
      "deleteSegment",
      "getSegment",
      "addVariant",
      "removeVariant",
      "setEnvironmentOverride",
      "removeEnvironmentOverride",
      "setRolloutPercentage",
      "withEnvironment",
      "evaluateFlag",
      "evaluateFlagDetailed",
      "getAuditLog",
      "getAnalytics",
      "addWebhook",
      "removeWebhook",
      "listWebhooks",
      "flushWebhooks",
      "generateSdk",
      "close",
      "createExperiment",
      "updateExperiment",
      "deleteExperiment",
      "getExperiment",
      "listExperiments",
    ]) {
      expect(all, method).toContain(`.${method}(`);
    }
  });

  describe.concurrent("each block runs", () => {
    for (const [index, block] of blocks.entries()) {
      const name = `${DOC}:${block.line}`;
      if (block.skip !== undefined) {
        it.skip(`${name} (${block.skip})`, () => {});
        continue;
      }
      it(
        name,
        async () => {
          const file = join(work, `example-${index}.mts`);
          const code = block.code.replaceAll(/from "(vexil(?:\/[\w-]+)?)"/g, (whole, name: string) =>
            ENTRIES.has(name) ? `from ${JSON.stringify(ENTRIES.get(name))}` : whole,
          );
          await writeFile(file, code);
          const result = await run(file);
          expect(result.stderr).toBe("");
          expect(result.code).toBe(0);
        },
        90_000,
      );
    }
  });
});
