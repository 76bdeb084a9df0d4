// The TypeScript SDK: generated, built with tsc --strict (ESM + .d.ts), consumed by a strict
// TypeScript program, and run against a live evaluator.
import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInto, ROOT, run, startEvaluator, tempDir, type LiveEvaluator } from "./harness.ts";
import * as checks from "./typescript/checks.ts";

const node = join(ROOT, "node_modules/.bin/node");
const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
let evaluator: LiveEvaluator;
let work: string;
let sdk: checks.GeneratedModule;

beforeAll(async () => {
  evaluator = await startEvaluator();
  work = await tempDir("ts");
  const pkg = join(work, "vexil-flags");
  await generateInto("typescript", pkg);
  await symlink(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  await run(node, [tsc, "-p", join(pkg, "tsconfig.json")]);
  // an application that depends on the built package
  const app = join(work, "app");
  await mkdir(join(app, "node_modules"), { recursive: true });
  for (const dep of ["@openfeature", "@types"])
    await symlink(join(ROOT, "node_modules", dep), join(app, "node_modules", dep));
  await symlink(pkg, join(app, "node_modules/vexil-flags"));
  await cp(join(ROOT, "test/sdk/typescript/example.ts"), join(app, "example.ts"));
  sdk = (await import(join(pkg, "dist/index.js"))) as checks.GeneratedModule;
});
afterAll(async () => {
  await evaluator?.close();
});

describe("generated TypeScript SDK", () => {
  it("builds to ESM with declarations, and a strict program using it type-checks", async () => {
    const app = join(work, "app");
    // skipLibCheck: @openfeature/server-sdk's own .d.ts trips TypeScript 6 (TS2344 in its event map)
    const args = [tsc, "--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext"];
    args.push("--target", "es2022");
    await run(node, [...args, "--types", "node", join(app, "example.ts")], { cwd: app });
    const wrong = join(app, "wrong.ts");
    // the accessor's type is the flag's: a colour is not a number
    await writeFile(
      wrong,
      'import { Flags } from "vexil-flags";\nexport const n: number = await new Flags(null!).buttonColor();\n',
    );
    await expect(run(node, [...args, wrong], { cwd: app })).rejects.toThrow(/TS2322/);
  });

  it("runs the docs example against the evaluator", async () => {
    const { example } = (await import(join(work, "app/example.ts"))) as {
      example(url: string, token: string): Promise<string>;
    };
    expect(await example(evaluator.url, evaluator.token)).toBe("checkout=true color=green");
  });

  it("serves values, variants and reasons; FLAG_NOT_FOUND, TYPE_MISMATCH and custom reasons", async () => {
    await checks.checkValuesVariantsReasons(sdk, evaluator);
  });

  it("evaluates one flag per request when the cache is off, with X-API-Key auth", async () => {
    await checks.checkSingleEvaluation(sdk, evaluator);
  });

  it("refuses to start with a wrong token, saying so", async () => {
    await checks.checkAuthRefused(sdk, evaluator);
  });

  it("sends tracked events to the evaluator in a batch", async () => {
    await checks.checkTracking(sdk, evaluator);
  });

  it("sees the kill switch through the stream within a second", async () => {
    const ms = await checks.checkKillSwitch(sdk, evaluator);
    process.stdout.write(`typescript: kill switch seen after ${Math.round(ms)} ms\n`);
  });
});
