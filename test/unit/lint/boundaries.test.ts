// The design's boundaries are held by lint, not by memory: these fixtures import across a boundary
// and the real ESLint configuration must refuse each with the boundary's message.
import { ESLint } from "eslint";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const eslint = new ESLint({ cwd: repoRoot });

async function boundaryMessages(fixturePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, fixturePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "import-x/no-restricted-paths" || m.ruleId === "no-restricted-imports")
    .map((m) => m.message);
}

describe("lint holds the design's boundaries", () => {
  it("refuses the operator importing the evaluator", async () => {
    const messages = await boundaryMessages(
      "operator/boundary-fixture.ts",
      'import { createEvaluatorServer } from "../evaluator/server.ts";\nexport const x = createEvaluatorServer;\n',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("evaluator/ and operator/ are siblings");
  });

  it("refuses the evaluator importing the operator", async () => {
    const messages = await boundaryMessages(
      "evaluator/boundary-fixture.ts",
      'import { startOperator } from "../operator/operator.ts";\nexport const x = startOperator;\n',
    );
    expect(messages[0]).toContain("evaluator/ and operator/ are siblings");
  });

  it("refuses core importing the operator", async () => {
    const messages = await boundaryMessages(
      "core/boundary-fixture.ts",
      'import { startOperator } from "../operator/operator.ts";\nexport const x = startOperator;\n',
    );
    expect(messages[0]).toContain("core/ is self-contained");
  });

  it("refuses network I/O in core", async () => {
    const messages = await boundaryMessages(
      "core/boundary-fixture.ts",
      'import { request } from "node:https";\nexport const x = request;\n',
    );
    expect(messages[0]).toContain("core/ does no network I/O");
  });

  it("refuses the engine importing an earlier stage of the data path", async () => {
    const messages = await boundaryMessages(
      "core/evaluate/boundary-fixture.ts",
      'import { compile } from "../compile/compile.ts";\nexport const x = compile;\n',
    );
    expect(messages[0]).toContain("core/evaluate may import only");
  });

  it("lets the CLI import both the evaluator and the operator", async () => {
    const messages = await boundaryMessages(
      "cli/boundary-fixture.ts",
      'import { createEvaluatorServer } from "../evaluator/server.ts";\nimport { startOperator } from "../operator/operator.ts";\nexport const x = [createEvaluatorServer, startOperator];\n',
    );
    expect(messages).toEqual([]);
  });
});
