// generateSdk in the TypeScript API: the files of a package per language, names spelled each
// language's way, and clear refusals of unknown languages and bad package names.
import { beforeAll, describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, FlagType, Variant } from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

let flags: FeatureFlagsInteraction;

beforeAll(async () => {
  flags = new FeatureFlagsInteraction();
  await flags.createFlag({ key: "new-checkout", description: "New checkout */ flow" });
  await flags.createFlag({ key: "button-color", flagType: FlagType.STRING });
  await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue" }));
  await flags.addVariant("button-color", new Variant({ name: "green", value: "green" }));
  await flags.updateFlag("button-color", { offVariant: "green", defaultVariant: "blue" });
  await flags.createFlag({ key: "2fa.enabled" });
  await flags.createFlag({ key: "new-checkout-details" }); // its accessor would clash with newCheckout's details
});

const fileOf = (sdk: { files: { path: string; contents: string }[] }, path: string): string => {
  const file = sdk.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path} in ${sdk.files.map((f) => f.path).join(", ")}`);
  return file.contents;
};

describe("generateSdk", () => {
  it("returns a TypeScript package: package.json, tsconfig, flags and the provider runtime", async () => {
    const sdk = await flags.generateSdk("typescript", { packageName: "@acme/flags", version: "1.2.3" });
    expect(sdk).toMatchObject({ language: "typescript", packageName: "@acme/flags", version: "1.2.3" });
    expect(sdk.files.map((f) => f.path).filter((path) => !path.startsWith("src/engine/"))).toEqual([
      "package.json",
      "src/flags.ts",
      "src/index.ts",
      "src/runtime/changes.ts",
      "src/runtime/local.ts",
      "src/runtime/provider.ts",
      "src/runtime/snapshots.ts",
      "src/runtime/sse.ts",
      "src/runtime/tracking.ts",
      "src/runtime/transport.ts",
      "src/runtime/values.ts",
      "tsconfig.json",
    ]);
    expect(JSON.parse(fileOf(sdk, "package.json"))).toMatchObject({ name: "@acme/flags", version: "1.2.3" });
    const source = fileOf(sdk, "src/flags.ts");
    expect(source).toContain("export type ButtonColor = (typeof ButtonColor)[keyof typeof ButtonColor];");
    expect(source).toContain("async buttonColor(context?: EvaluationContext): Promise<ButtonColor> {");
    expect(source).toContain("/** New checkout *\\/ flow */");
    expect(source).toContain('    return this.client.getBooleanValue("new-checkout", true, context);');
    expect(source).toContain('  FLAG_2FA_ENABLED: "2fa.enabled",');
    expect(source).toContain("  async flag2faEnabled(");
    expect(source).toContain("  newCheckoutDetails(context"); // newCheckout's details accessor
    expect(source).toContain("  async newCheckoutDetails2(context"); // the flag new-checkout-details, renamed
  });

  it("copies the provider runtime byte for byte", async () => {
    const sdk = await flags.generateSdk("typescript");
    const { readFile } = await import("node:fs/promises");
    const { resolve } = await import("node:path");
    const runtime = resolve(import.meta.dirname, "../../../sdk-templates/typescript/package/src/runtime/provider.ts");
    expect(fileOf(sdk, "src/runtime/provider.ts")).toBe(await readFile(runtime, "utf8"));
  });

  it("ships the evaluator's own engine for local mode: core's sources, depending only on vexil's re2js and semver", async () => {
    const { readFile } = await import("node:fs/promises");
    const { resolve } = await import("node:path");
    const root = resolve(import.meta.dirname, "../../..");
    const sdk = await flags.generateSdk("typescript");
    const engine = sdk.files.filter((f) => f.path.startsWith("src/engine/"));
    expect(engine.map((f) => f.path)).toContain("src/engine/evaluate/evaluate.ts");
    for (const file of engine) {
      const source = await readFile(resolve(root, "core", file.path.slice("src/engine/".length)), "utf8");
      expect(file.contents.split("\n").slice(1).join("\n")).toBe(source);
    }
    const own = JSON.parse(await readFile(resolve(root, "package.json"), "utf8")) as Record<
      string,
      Record<string, string>
    >;
    const versions = { re2js: own["dependencies"]?.["re2js"], semver: own["dependencies"]?.["semver"] };
    expect(JSON.parse(fileOf(sdk, "package.json")).dependencies).toEqual(versions);
    const js = await flags.generateSdk("javascript");
    expect(JSON.parse(fileOf(js, "package.json")).dependencies).toEqual(versions);
    expect(js.files.map((f) => f.path)).toContain("engine/evaluate/evaluate.js");
  });

  it("ships the Python engine in the Python package as _engine, byte for byte, without toolchain caches", async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const { resolve } = await import("node:path");
    const engine = resolve(import.meta.dirname, "../../../sdk-templates/python/engine/vexil_engine");
    const sdk = await flags.generateSdk("python", { packageName: "acme-flags" });
    const shipped = sdk.files.filter((f) => f.path.startsWith("src/acme_flags/_engine/"));
    const sources = (await readdir(engine)).filter((name) => name.endsWith(".py") || name === "py.typed").sort();
    expect(shipped.map((f) => f.path.slice("src/acme_flags/_engine/".length))).toEqual(sources);
    for (const file of shipped) {
      expect(file.contents).toBe(await readFile(resolve(engine, file.path.split("/").pop() as string), "utf8"));
    }
    expect(fileOf(sdk, "pyproject.toml")).toContain('"google-re2>=1.1.20251105,<2", "mmh3>=5.3.1,<6"');
  });

  it("returns a JavaScript package whose modules each have declarations", async () => {
    const sdk = await flags.generateSdk("javascript");
    expect(fileOf(sdk, "flags.js")).toContain("export const ButtonColor = Object.freeze({");
    expect(fileOf(sdk, "flags.d.ts")).toContain("buttonColor(context?: EvaluationContext): Promise<ButtonColor>;");
    expect(JSON.parse(fileOf(sdk, "package.json")).exports["."]).toEqual({
      types: "./index.d.ts",
      default: "./index.js",
    });
  });

  it("refuses an unknown language, naming the supported ones", async () => {
    const cobol = await rejection(flags.generateSdk("cobol"));
    expect(cobol.code).toBe("INVALID_ARGUMENT");
    expect(cobol.message).toBe('unknown SDK language "cobol"; choose one of: typescript, javascript, python, java, go');
  });

  it("refuses a package name or version the ecosystem would not accept", async () => {
    const name = await rejection(flags.generateSdk("typescript", { packageName: "Acme Flags" }));
    expect(name.message).toBe(
      'package name: "Acme Flags" is not a valid npm package name (lower case letters, digits, - . _ ~, optionally @scope/)',
    );
    const version = await rejection(flags.generateSdk("javascript", { version: "1.0" }));
    expect(version.message).toBe('version "1.0" is not MAJOR.MINOR.PATCH[-PRERELEASE]');
  });
});
