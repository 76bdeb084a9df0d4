// The JavaScript SDK: generated ESM that runs as is, with declarations a strict TypeScript
// program type-checks against, run against a live evaluator.
import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedSdk } from "../../core/facade/sdk/generate.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInto, ROOT, run, startEvaluator, tempDir, type LiveEvaluator } from "./harness.ts";
import * as checks from "./typescript/checks.ts";

const node = join(ROOT, "node_modules/.bin/node");
const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
let evaluator: LiveEvaluator;
let work: string;
let sdk: checks.GeneratedModule;
let generated: GeneratedSdk;

beforeAll(async () => {
  evaluator = await startEvaluator();
  work = await tempDir("js");
  const pkg = join(work, "vexil-flags");
  generated = await generateInto("javascript", pkg);
  await symlink(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  const app = join(work, "app");
  await mkdir(join(app, "node_modules"), { recursive: true });
  for (const dep of ["@openfeature", "@types"])
    await symlink(join(ROOT, "node_modules", dep), join(app, "node_modules", dep));
  await symlink(pkg, join(app, "node_modules/vexil-flags"));
  await cp(join(ROOT, "test/sdk/typescript/example.ts"), join(app, "example.ts"));
  sdk = (await import(join(pkg, "index.js"))) as checks.GeneratedModule;
});
afterAll(async () => {
  await evaluator?.close();
});

describe("generated JavaScript SDK", () => {
  it("is plain ESM with a declaration beside every module, and a strict program type-checks against it", async () => {
    const files = generated.files.map((f) => f.path);
    const js = files.filter((f) => f.endsWith(".js")).sort();
    expect(js.map((f) => f.replace(/\.js$/, ".d.ts"))).toEqual(files.filter((f) => f.endsWith(".d.ts")).sort());
    expect(files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);
    const app = join(work, "app");
    // skipLibCheck: @openfeature/server-sdk's own .d.ts trips TypeScript 6 (TS2344 in its event map)
    const args = [tsc, "--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext"];
    args.push("--target", "es2022", "--types", "node");
    await run(node, [...args, join(app, "example.ts")], { cwd: app });
    const wrong = join(app, "wrong.ts");
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

  it("sends tracked events to the evaluator in a batch", async () => {
    await checks.checkTracking(sdk, evaluator);
  });

  it("sees the kill switch through the stream within a second", async () => {
    const ms = await checks.checkKillSwitch(sdk, evaluator);
    process.stdout.write(`javascript: kill switch seen after ${Math.round(ms)} ms\n`);
  });
});
