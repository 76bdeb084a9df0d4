// generateSdk("java"): a Maven project whose Java package, groupId and artifactId come from the
// package name, with the engine port's sources copied from sdk-templates/java/engine (one source
// tree), Javadoc that javac reads as a comment, and clear refusals of unusable package names.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FeatureFlagsInteraction, FlagType, Variant } from "../../../core/facade/index.ts";
import { rejection } from "./helpers.ts";

const TEMPLATES = resolve(import.meta.dirname, "../../../sdk-templates/java");
let flags: FeatureFlagsInteraction;

beforeAll(async () => {
  flags = new FeatureFlagsInteraction();
  await flags.createFlag({ key: "new-checkout", description: "New checkout */ flow for <b>@team</b> \\u0022" });
  await flags.createFlag({ key: "button-color", flagType: FlagType.STRING });
  await flags.addVariant("button-color", new Variant({ name: "blue", value: "blue" }));
  await flags.addVariant("button-color", new Variant({ name: "dark-green", value: "dark green" }));
  await flags.updateFlag("button-color", { offVariant: "blue", defaultVariant: "dark-green" });
  await flags.createFlag({ key: "class" }); // a Java keyword as an accessor
});

const fileOf = (sdk: { files: { path: string; contents: string }[] }, path: string): string => {
  const file = sdk.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path} in ${sdk.files.map((f) => f.path).join(", ")}`);
  return file.contents;
};

describe('generateSdk("java")', () => {
  it("returns a Maven project for the package name: groupId, artifactId and source folders", async () => {
    const sdk = await flags.generateSdk("java", { packageName: "com.acme.shop_flags", version: "2.0.0" });
    const pom = fileOf(sdk, "pom.xml");
    expect(pom).toContain(
      "<groupId>com.acme</groupId>\n  <artifactId>shop-flags</artifactId>\n  <version>2.0.0</version>",
    );
    expect(pom).not.toMatch(/<!--[^>]*--[^>]/); // no "--" inside the header comment
    const paths = sdk.files.map((f) => f.path);
    expect(paths).toContain("src/main/java/com/acme/shop_flags/Flags.java");
    expect(paths).toContain("src/main/java/com/acme/shop_flags/FlagKeys.java");
    expect(paths).toContain("src/main/java/com/acme/shop_flags/Variants.java");
    expect(paths).toContain("src/main/java/dev/vexil/provider/VexilProvider.java");
    expect(fileOf(sdk, "src/main/java/com/acme/shop_flags/Flags.java")).toContain("package com.acme.shop_flags;");
  });

  it("copies the engine port's sources byte for byte, not a second copy", async () => {
    const sdk = await flags.generateSdk("java");
    const engine = sdk.files.filter((f) => f.path.startsWith("src/main/java/dev/vexil/engine/"));
    expect(engine.length).toBeGreaterThan(5);
    for (const file of engine) {
      const source = resolve(TEMPLATES, "engine", file.path);
      expect(file.contents, file.path).toBe(await readFile(source, "utf8"));
    }
  });

  it("spells accessors, enums and constants the Java way, with the declared default as fallback", async () => {
    const sdk = await flags.generateSdk("java");
    const source = fileOf(sdk, "src/main/java/dev/vexil/flags/Flags.java");
    expect(source).toContain('  public enum ButtonColor {\n    BLUE("blue"),\n    DARK_GREEN("dark green");');
    expect(source).toContain(
      '    return ButtonColor.of(client.getStringValue(FlagKeys.BUTTON_COLOR, "dark green", context), ButtonColor.DARK_GREEN);',
    );
    expect(source).toContain("  public boolean class2(EvaluationContext context) {");
    // the description is a Javadoc comment javac cannot be tricked out of
    expect(source).toContain("/** New checkout *\\/ flow for &lt;b&gt;&#64;team&lt;/b&gt; \\\\u0022 */");
    expect(fileOf(sdk, "src/main/java/dev/vexil/flags/FlagKeys.java")).toContain(
      '  public static final String BUTTON_COLOR = "button-color";',
    );
    expect(fileOf(sdk, "src/main/java/dev/vexil/flags/Variants.java")).toContain(
      '    public static final String DARK_GREEN = "dark-green";',
    );
  });

  it("refuses a package name Java or Maven would not accept", async () => {
    const bad = await rejection(flags.generateSdk("java", { packageName: "Acme-Flags" }));
    expect(bad.message).toBe(
      'package name: "Acme-Flags" is not a Java package name of two or more parts (lower case letters, digits, _; e.g. com.acme.flags)',
    );
    const keyword = await rejection(flags.generateSdk("java", { packageName: "com.acme.new" }));
    expect(keyword.message).toBe('package name: "com.acme.new" uses the Java keyword "new" as a part');
  });
});
