// The JavaScript SDK: generated ESM that runs as is, with declarations a strict TypeScript
// program type-checks against, run against live evaluators in remote and local mode (suite.ts).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { run } from "./harness.ts";
import { node, STRICT_TSC } from "./typescript/package.ts";
import { describeNodeSdk } from "./typescript/suite.ts";

describeNodeSdk("javascript", (get) => {
  it("is plain ESM with a declaration beside every module, and a strict program type-checks against it", async () => {
    const { app, generated } = get();
    const files = generated.files.map((f) => f.path);
    const js = files.filter((f) => f.endsWith(".js")).sort();
    expect(js.map((f) => f.replace(/\.js$/, ".d.ts"))).toEqual(files.filter((f) => f.endsWith(".d.ts")).sort());
    expect(files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);
    const args = [...STRICT_TSC, "--target", "es2022", "--types", "node"];
    await run(node, [...args, join(app, "example.ts")], { cwd: app });
    const wrong = join(app, "wrong.ts");
    await writeFile(
      wrong,
      'import { Flags } from "vexil-flags";\nexport const n: number = await new Flags(null!).buttonColor();\n',
    );
    await expect(run(node, [...args, wrong], { cwd: app })).rejects.toThrow(/TS2322/);
  });
});
