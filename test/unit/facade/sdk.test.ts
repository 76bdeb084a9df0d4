import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, FlagType, Variant } from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
let dir: string;
let flags: FeatureFlagsInteraction;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-sdk-"));
  flags = new FeatureFlagsInteraction();
  await flags.createFlag({ key: "new-checkout", description: "New checkout */ flow" });
  await flags.createFlag({ key: "button-color", flagType: FlagType.STRING });
  await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue" }));
  await flags.addVariant("button-color", new Variant({ name: "green", value: "green" }));
  await flags.updateFlag("button-color", { offVariant: "green" });
  await flags.createFlag({ key: "2fa.enabled" });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generateSdk", () => {
  it("generates a TypeScript module whose accessors evaluate through the API", async () => {
    const source = await flags.generateSdk("typescript");
    expect(source).toContain('"button-color": "blue" | "green";');
    expect(source).toContain('"new-checkout": boolean;');
    expect(source).toContain("New checkout *\\/ flow");
    const file = join(dir, "flags.ts");
    await writeFile(file, source);
    const sdk = (await import(file)) as {
      createFlags(e: FeatureFlagsInteraction): Record<string, (context?: unknown) => Promise<unknown>>;
    };
    const typed = sdk.createFlags(flags);
    expect(Object.keys(typed).sort()).toEqual(["buttonColor", "flag2faEnabled", "newCheckout"]);
    expect(await typed.newCheckout!({ userId: "u" })).toBe(true);
    expect(await typed.buttonColor!({ userId: "u" })).toBe("blue");
    await flags.deleteFlag("new-checkout");
    expect(await typed.newCheckout!({ userId: "u" })).toBe(false); // the off value when the flag is gone
    await flags.createFlag({ key: "new-checkout", description: "New checkout */ flow" });
  });

  it("generates TypeScript that type-checks under strict settings", async () => {
    await writeFile(join(dir, "checked.ts"), await flags.generateSdk("typescript"));
    // a caller of the generated module: the value types are the flag's, not unknown
    const usage = join(dir, "usage.ts");
    await writeFile(
      usage,
      'import { createFlags, type FlagEvaluator } from "./checked.ts";\n' +
        "export async function use(evaluator: FlagEvaluator): Promise<void> {\n" +
        '  const color: "blue" | "green" = await createFlags(evaluator).buttonColor({ userId: "u" });\n' +
        "  const on: boolean = await createFlags(evaluator).newCheckout();\n" +
        "  // @ts-expect-error a string flag's value is not a number\n" +
        "  const wrong: number = await createFlags(evaluator).buttonColor();\n" +
        "  void color; void on; void wrong;\n}\n",
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const node = join(ROOT, "node_modules/.bin/node");
    const args = [tsc, "--ignoreConfig", "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext"];
    args.push("--allowImportingTsExtensions", "--skipLibCheck", usage);
    await expect(run(node, args, { cwd: ROOT })).resolves.toBeDefined();
  }, 60_000);

  it("generates a JavaScript module with JSDoc types that runs as is", async () => {
    const source = await flags.generateSdk("javascript");
    expect(source).toContain('@returns {Promise<"blue" | "green">}');
    const file = join(dir, "flags.mjs");
    await writeFile(file, source);
    const sdk = (await import(file)) as {
      createFlags(e: FeatureFlagsInteraction): { buttonColor(c: unknown): Promise<unknown> };
      flagDefinitions: object;
    };
    expect(await sdk.createFlags(flags).buttonColor({ userId: "u" })).toBe("blue");
    expect(sdk.flagDefinitions).toMatchObject({
      "button-color": { type: "string", variants: { blue: "blue", green: "green" } },
    });
  });

  it("names the languages that are not supported yet", async () => {
    const python = await rejection(flags.generateSdk("python"));
    expect(python.code).toBe("NOT_SUPPORTED");
    expect(python.message).toBe(
      "SDK generation for python is not supported yet; supported now: typescript, javascript",
    );
    const cobol = await rejection(flags.generateSdk("cobol"));
    expect(cobol.message).toBe(
      'unknown SDK language "cobol"; supported now: typescript, javascript (planned: python, java, go)',
    );
  });
});
