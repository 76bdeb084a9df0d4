// The Go engine port (sdk-templates/go/engine) against the shared vectors, with go vet and gofmt.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findBinary, goEnv, passCounts, ROOT, run, tail, VECTORS_DIR } from "./toolchains.ts";
import { vectorTotals } from "./vectors.ts";

const ENGINE = join(ROOT, "sdk-templates/go/engine");
const go = findBinary("go", "the Go engine conformance test");
const env = { ...process.env, ...goEnv(), VEXIL_VECTORS_DIR: VECTORS_DIR };

describe.skipIf(go === undefined)("Go engine port", () => {
  it("agrees with the TypeScript engine on every evaluation and bucketing vector", async () => {
    const result = await run(go!, ["test", "-count=1", "-v", "./..."], { cwd: ENGINE, env });
    process.stdout.write(
      `${result.stdout
        .split("\n")
        .filter((l) => l.includes("engine:"))
        .join("\n")}\n`,
    );
    expect(result.code, tail(result)).toBe(0);
    const totals = vectorTotals();
    expect(passCounts(result.stdout, "go")).toEqual({
      evaluation: `${totals.evaluation}/${totals.evaluation}`,
      bucketing: `${totals.bucketing}/${totals.bucketing}`,
    });
  }, 300_000);

  it("is go vet clean and gofmt formatted", async () => {
    const vet = await run(go!, ["vet", "./..."], { cwd: ENGINE, env });
    expect(vet.code, tail(vet)).toBe(0);
    const gofmt = await run(join(await goRoot(go!), "bin", "gofmt"), ["-l", "."], { cwd: ENGINE, env });
    expect(gofmt.code, tail(gofmt)).toBe(0);
    expect(gofmt.stdout.trim(), "files gofmt would change").toBe("");
  }, 300_000);
});

async function goRoot(goBinary: string): Promise<string> {
  return (await run(goBinary, ["env", "GOROOT"])).stdout.trim();
}
