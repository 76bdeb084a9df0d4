// The TypeScript SDK: generated, built with tsc --strict (ESM + .d.ts), consumed by a strict
// TypeScript program, and run against live evaluators in remote and local mode (suite.ts).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { run } from "./harness.ts";
import { node, STRICT_TSC } from "./typescript/package.ts";
import { describeNodeSdk } from "./typescript/suite.ts";

describeNodeSdk("typescript", (get) => {
  it("builds to ESM with declarations, and a strict program using it type-checks", async () => {
    const { app } = get();
    const args = [...STRICT_TSC, "--target", "es2022"];
    await run(node, [...args, "--types", "node", join(app, "example.ts")], { cwd: app });
    const wrong = join(app, "wrong.ts");
    // the accessor's type is the flag's: a colour is not a number
    await writeFile(
      wrong,
      'import { Flags } from "vexil-flags";\nexport const n: number = await new Flags(null!).buttonColor();\n',
    );
    await expect(run(node, [...args, wrong], { cwd: app })).rejects.toThrow(/TS2322/);
  });
});
