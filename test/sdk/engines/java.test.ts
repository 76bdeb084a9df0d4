// The Java engine port (sdk-templates/java/engine) against the shared vectors: `mvn test`
// compiles with -Xlint:all -Werror and runs the JUnit conformance test; Maven's repository is
// cached outside the repo.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findBinary, mavenRepository, passCounts, ROOT, run, tail, VECTORS_DIR } from "./toolchains.ts";
import { vectorTotals } from "./vectors.ts";

const ENGINE = join(ROOT, "sdk-templates/java/engine");
const mvn = findBinary("mvn", "the Java engine conformance test");

describe.skipIf(mvn === undefined)("Java engine port", () => {
  it("agrees with the TypeScript engine on every evaluation and bucketing vector", async () => {
    const args = ["-q", "-B", `-Dmaven.repo.local=${mavenRepository()}`, `-Dvectors.dir=${VECTORS_DIR}`, "test"];
    const result = await run(mvn!, args, { cwd: ENGINE });
    process.stdout.write(
      `${result.stdout
        .split("\n")
        .filter((l) => l.includes("engine:"))
        .join("\n")}\n`,
    );
    expect(result.code, tail(result)).toBe(0);
    const totals = vectorTotals();
    expect(passCounts(result.stdout, "java")).toEqual({
      evaluation: `${totals.evaluation}/${totals.evaluation}`,
      bucketing: `${totals.bucketing}/${totals.bucketing}`,
    });
  }, 600_000);
});
