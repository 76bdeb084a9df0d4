// What the TypeScript and JavaScript SDK tests share: a generated package for the fixture flags,
// installed the way an application would use it (its node_modules, an app depending on it by
// name, the docs example copied beside it), and the checks both packages must pass.
import { cp, mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedSdk } from "../../../core/facade/sdk/generate.ts";
import { generateInto, ROOT, run, tempDir } from "../harness.ts";
import type { GeneratedModule } from "./checks.ts";

export const node = join(ROOT, "node_modules/.bin/node");
export const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
// skipLibCheck: @openfeature/server-sdk's own .d.ts trips TypeScript 6 (TS2344 in its event map)
export const STRICT_TSC = [tsc, "--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext"];

export interface NodePackage {
  language: "typescript" | "javascript";
  generated: GeneratedSdk;
  /** the package directory */
  pkg: string;
  /** an application depending on the package (node_modules/vexil-flags), holding example.ts */
  app: string;
  sdk: GeneratedModule;
}

/** Generates the package (and builds it with tsc for TypeScript), then sets up the app beside it. */
export async function setUpPackage(language: "typescript" | "javascript"): Promise<NodePackage> {
  const work = await tempDir(language === "typescript" ? "ts" : "js");
  const pkg = join(work, "vexil-flags");
  const generated = await generateInto(language, pkg);
  await symlink(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  if (language === "typescript") await run(node, [tsc, "-p", join(pkg, "tsconfig.json")]);
  const app = join(work, "app");
  await mkdir(join(app, "node_modules"), { recursive: true });
  for (const dep of ["@openfeature", "@types"])
    await symlink(join(ROOT, "node_modules", dep), join(app, "node_modules", dep));
  await symlink(pkg, join(app, "node_modules/vexil-flags"));
  await cp(join(ROOT, "test/sdk/typescript/example.ts"), join(app, "example.ts"));
  const entry = language === "typescript" ? "dist/index.js" : "index.js";
  const sdk = (await import(join(pkg, entry))) as GeneratedModule;
  return { language, generated, pkg, app, sdk };
}
