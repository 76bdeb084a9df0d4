// `vexil generate sdk`: writes the package, reports what changed, and --check exits 1 naming
// the stale files without writing anything.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGenerateSdk, type GenerateSdkCommandOptions } from "../../../cli/commands/generate.ts";
import { capture, CHECKOUT, flagsDir, vexil } from "./run-cli.ts";

let flags: Awaited<ReturnType<typeof flagsDir>>;
let out: string;
const options = (extra: Partial<GenerateSdkCommandOptions> = {}): GenerateSdkCommandOptions => ({
  language: "typescript",
  flags: flags.dir,
  namespace: "default",
  out,
  output: "human",
  ...extra,
});

beforeAll(async () => {
  flags = await flagsDir({ "checkout.yaml": CHECKOUT });
  out = join(flags.dir, "..", `${flags.dir.split("/").pop()}-sdk`);
});
afterAll(async () => {
  await flags.cleanup();
  await rm(out, { recursive: true, force: true });
});

describe("vexil generate sdk", () => {
  it("writes the package, then reports it up to date", async () => {
    const io = capture();
    expect(await runGenerateSdk(io, options())).toBe(0);
    // 12 of the package's own and 21 of the local evaluation engine copied from core/
    expect(io.stdout).toBe(`wrote 33 of 33 files to ${out} (typescript package vexil-flags 0.1.0)\n`);
    expect(await readFile(join(out, "src/flags.ts"), "utf8")).toContain("async newCheckout(");
    const again = capture();
    expect(await runGenerateSdk(again, options({ check: true }))).toBe(0);
    expect(again.stdout).toBe(`${out} is up to date (typescript package vexil-flags 0.1.0, 33 files)\n`);
  });

  it("--check exits 1 naming the stale and missing files, and writes nothing", async () => {
    await writeFile(join(out, "src/flags.ts"), "// edited by hand\n");
    await rm(join(out, "tsconfig.json"));
    const io = capture();
    expect(await runGenerateSdk(io, options({ check: true }))).toBe(1);
    expect(io.stderr).toBe(
      `${out} is stale (typescript package vexil-flags 0.1.0); regenerate with vexil generate sdk:\n` +
        `  ${join(out, "src/flags.ts")}\n  ${join(out, "tsconfig.json")}\n`,
    );
    expect(await readFile(join(out, "src/flags.ts"), "utf8")).toBe("// edited by hand\n");
    const json = capture();
    expect(await runGenerateSdk(json, options({ check: true, output: "json" }))).toBe(1);
    const report = JSON.parse(json.stdout) as { upToDate: boolean; files: { path: string; status: string }[] };
    expect(report.upToDate).toBe(false);
    expect(report.files.filter((f) => f.status === "stale").map((f) => f.path)).toEqual([
      "src/flags.ts",
      "tsconfig.json",
    ]);
    expect(await runGenerateSdk(capture(), options())).toBe(0);
  });

  it("refuses a broken flags directory, listing its problems", async () => {
    const io = capture();
    expect(await runGenerateSdk(io, options({ flags: join(flags.dir, "missing") }))).toBe(1);
    expect(io.stderr).toContain("cannot read: no such file or directory");
    expect(io.stderr).toContain("no SDK generated");
  });

  it("exits 2 on bad usage: no flag source, both sources, an unknown language, a bad package name", async () => {
    const base = ["generate", "sdk", "--out", out];
    const none = await vexil([...base, "--language", "typescript"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("say where the flags are: --flags DIR, or --kubernetes");
    const both = await vexil([...base, "--language", "typescript", "--flags", flags.dir, "--kubernetes"]);
    expect(both.stderr).toContain("use either --flags DIR or --kubernetes, not both");
    const cobol = await vexil([...base, "--language", "cobol", "--flags", flags.dir]);
    expect(cobol.code).toBe(2);
    expect(cobol.stderr).toContain(
      "argument 'cobol' is invalid. Allowed choices are typescript, javascript, python, java, go",
    );
    const name = await vexil([...base, "--language", "typescript", "--flags", flags.dir, "--package-name", "A B"]);
    expect(name).toMatchObject({ code: 2, stderr: expect.stringContaining('"A B" is not a valid npm package name') });
  });
});
