// The docs are true to the code: every `vexil …` / `npx vexil …` line in README.md and docs/*.md
// code blocks runs against a copy of examples/ (also as ./flags) and test/fixtures/, and must exit
// as documented (0 unless marked `(docs-test: exit N)`) without an unknown option. Lines that need
// a running server or a cluster carry `(docs-test: skip, REASON)`; see test/unit/docs/commands.ts.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandsIn, documentedCommands, stripComment } from "./commands.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const commands = documentedCommands(ROOT);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vexil-docs-"));
  await cp(join(ROOT, "examples"), join(work, "examples"), { recursive: true });
  await cp(join(ROOT, "examples"), join(work, "flags"), { recursive: true });
  await cp(join(ROOT, "test/fixtures"), join(work, "test/fixtures"), { recursive: true });
  await mkdir(join(work, ".bin"));
  await symlink(join(ROOT, "bin/vexil.js"), join(work, ".bin/vexil"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = `${join(work, ".bin")}:${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`;
  return new Promise((done) => {
    execFile(
      "sh",
      ["-c", command],
      { cwd: work, env: { ...process.env, PATH: path }, timeout: 60_000 },
      (error, stdout, stderr) =>
        done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
    );
  });
}

describe("the docs test finds commands and markers", () => {
  it("reads prompts, npx, trailing comments and markers", () => {
    const text = [
      "```console",
      "$ vexil validate examples/   # fine",
      '$ npx vexil eval x --flags examples --context \'{"a":"#b"}\'   # (docs-test: exit 1)',
      "vexil serve --flags examples   # (docs-test: skip, runs until stopped)",
      "```",
      "vexil outside a block is prose",
    ].join("\n");
    expect(commandsIn("x.md", text)).toEqual([
      { where: "x.md:2", command: "vexil validate examples/", exitCode: 0 },
      { where: "x.md:3", command: `vexil eval x --flags examples --context '{"a":"#b"}'`, exitCode: 1 },
      { where: "x.md:4", command: "vexil serve --flags examples", skip: "runs until stopped", exitCode: 0 },
    ]);
    expect(stripComment("a 'b # c' # d")).toBe("a 'b # c'");
  });

  it("finds the documented commands (the README's everyday commands among them)", () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.map((c) => c.command)).toContain("vexil validate examples/");
  });
});

describe.concurrent("documented commands", () => {
  for (const doc of commands) {
    const name = `${doc.where}: ${doc.command}`;
    if (doc.skip !== undefined) {
      it.skip(`${name} (${doc.skip})`, () => {});
      continue;
    }
    it(
      name,
      async () => {
        const result = await sh(doc.command);
        expect(result.stderr).not.toMatch(/unknown (option|command)/);
        expect(result.code, result.stderr).toBe(doc.exitCode);
      },
      90_000,
    );
  }
});
