// `npx vexil` as a user runs it: in the repository (bin/vexil.js runs the TypeScript source on
// the pinned Node 26, no build needed) and in a project that installed the packed package
// (dist/), with both bins (`vexil`, `kubectl-vexil`) linked. The packed tarball is built from
// dist/ as it stands (`npm test` builds first), so this never rewrites dist/ under other tests.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const PINNED_BIN = join(ROOT, "node_modules/.bin");
const SYSTEM_PATH = (process.env.PATH ?? "")
  .split(":")
  .filter((p) => !p.includes("node_modules"))
  .join(":");

function sh(command: string, args: string[], cwd: string, path: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(command, args, { cwd, env: { ...process.env, PATH: path }, timeout: 240_000 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
    );
  });
}

describe("npx vexil in the repository", () => {
  it("runs the CLI from source after npm install, with no build", async () => {
    const result = await sh(
      "npx",
      ["--no-install", "vexil", "validate", "examples"],
      ROOT,
      `${PINNED_BIN}:${SYSTEM_PATH}`,
    );
    expect(result.stderr).not.toContain("not found");
    expect(result).toMatchObject({ code: 0, stdout: "15 resources valid\n" });
  });
});

describe.skipIf(!existsSync(join(ROOT, "dist/cli/main.js")))(
  "npx vexil in a project that installed the package",
  () => {
    let project: string;
    beforeAll(async () => {
      project = await mkdtemp(join(tmpdir(), "vexil-install-"));
      const packed = await sh(
        "npm",
        ["pack", "--ignore-scripts", "--pack-destination", project],
        ROOT,
        `${PINNED_BIN}:${SYSTEM_PATH}`,
      );
      expect(packed.code, packed.stderr).toBe(0);
      const tarball = (await readdir(project)).find((f) => f.endsWith(".tgz"));
      await writeFile(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      const installed = await sh(
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", `./${tarball}`],
        project,
        `${PINNED_BIN}:${SYSTEM_PATH}`,
      );
      expect(installed.code, installed.stderr).toBe(0);
      await cp(join(ROOT, "examples"), join(project, "flags"), { recursive: true });
    }, 300_000);
    afterAll(() => rm(project, { recursive: true, force: true }));

    it("links both bins and runs vexil on Node 26 from dist/", async () => {
      expect(existsSync(join(project, "node_modules/.bin/kubectl-vexil"))).toBe(true);
      const result = await sh(
        "npx",
        [
          "--no-install",
          "vexil",
          "eval",
          "new-checkout",
          "--flags",
          "flags",
          "--context",
          '{"targetingKey":"user-1"}',
          "-o",
          "json",
        ],
        project,
        `${PINNED_BIN}:${SYSTEM_PATH}`,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        key: "new-checkout",
        value: true,
        variant: "on",
        reason: "TARGETING_MATCH",
      });
    });

    it('imports { FeatureFlagsInteraction } from "vexil"', async () => {
      const script =
        'import { FeatureFlagsInteraction } from "vexil"; const f = new FeatureFlagsInteraction(); await f.createFlag({ key: "x" }); console.log(await f.evaluateFlag("x", { userId: "u" }));';
      const result = await sh(join(PINNED_BIN, "node"), ["--input-type=module", "-e", script], project, SYSTEM_PATH);
      expect(result).toMatchObject({ code: 0, stdout: "true\n" });
    });

    it("on an older Node.js without the node package it says what to install", async () => {
      const oldNode = SYSTEM_PATH.split(":")
        .map((p) => join(p, "node"))
        .find((p) => existsSync(p));
      if (oldNode === undefined) return;
      const version = await sh(oldNode, ["--version"], project, SYSTEM_PATH);
      if (Number(version.stdout.slice(1).split(".")[0]) >= 26) return; // the machine's node is new enough
      const result = await sh(
        oldNode,
        [join(project, "node_modules/vexil/bin/vexil.js"), "--version"],
        project,
        dirname(oldNode),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("vexil needs Node.js 26 or newer; this is Node.js");
      expect(result.stderr).toContain("npm install --save-dev node@26");
    });
  },
);
