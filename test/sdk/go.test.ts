// The Go SDK: the generated module is gofmt formatted, go vet clean and tidy; its go test suite
// (remote and local mode) passes against a live evaluator; and a separate module that requires
// it through a replace directive builds and runs the docs example.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exposuresOf,
  findBinary,
  generateInto,
  goEnv,
  ROOT,
  run,
  sdkTestEnv,
  startEvaluator,
  tempDir,
  trackedEvents,
  type LiveEvaluator,
} from "./harness.ts";

const MODULE = "example.com/shop/flags";
const go = findBinary("go", "the Go SDK toolchain test");
const node = join(ROOT, "node_modules/.bin/node");

describe.skipIf(go === undefined)("generated Go SDK", () => {
  let evaluator: LiveEvaluator;
  let work: string;
  let pkg: string;
  const timings: Record<string, number> = {};
  const goRun = async (args: string[], cwd: string, env: Record<string, string> = {}) => {
    const result = await run(go as string, args, { cwd, env: { ...goEnv(), ...env } });
    timings[`go ${args[0]}${args[0] === "mod" ? ` ${args[1]}` : ""} (${cwd === pkg ? "sdk" : "app"})`] = result.ms;
    return result;
  };

  beforeAll(async () => {
    evaluator = await startEvaluator();
    work = await tempDir("go");
    pkg = join(work, "flags");
    await generateInto("go", pkg, { packageName: MODULE });
    for (const file of ["experiment_test.go", "flags_test.go", "local_test.go"])
      await cp(join(ROOT, "test/sdk/go", file), join(pkg, file));
    // the offline start reads what `vexil compile` writes
    const compiled = await run(node, [
      join(ROOT, "bin/vexil.js"),
      "compile",
      "--flags",
      join(ROOT, "test/sdk/flags"),
      "--env",
      "production",
    ]);
    await writeFile(join(work, "snapshot.json"), compiled.stdout);
  });
  afterAll(async () => {
    await evaluator?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
    process.stdout.write(`go SDK timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it("is gofmt formatted, go vet clean, and its go.mod and go.sum are tidy", async () => {
    const gofmt = await run(join((await goRun(["env", "GOROOT"], pkg)).stdout.trim(), "bin/gofmt"), ["-l", "."], {
      cwd: pkg,
    });
    expect(gofmt.stdout.trim(), "files gofmt would change").toBe("");
    await goRun(["vet", "./..."], pkg);
    await goRun(["mod", "tidy", "-diff"], pkg);
  }, 300_000);

  it("passes its go test suite against the evaluator, remote and local, and the tracked events arrive", async () => {
    const env = { ...sdkTestEnv(evaluator), VEXIL_SNAPSHOT_FILE: join(work, "snapshot.json") };
    const result = await goRun(["test", "-count=1", "-v", "./..."], pkg, env);
    process.stdout.write(
      `${result.stdout
        .split("\n")
        .filter((l) => l.startsWith("go: "))
        .join("\n")}\n`,
    );
    expect(result.stdout).toMatch(/^ok\s+example\.com\/shop\/flags\s/m);
    expect(result.stdout.match(/^--- PASS/gm)).toHaveLength(10);
    expect(result.stdout).toMatch(/go: local and remote agree on 160 evaluations/);
    expect(result.stdout).toMatch(/go: kill switch seen \(remote\) after \d+ ms/);
    expect(result.stdout).toMatch(/go: kill switch seen \(local\) after \d+ ms/);
    expect(await trackedEvents(evaluator, "go-buyer", 2)).toEqual([
      { event: "purchase", value: 42.5 },
      { event: "signup", value: 1 },
    ]);
    const exposures = await exposuresOf(evaluator, "go-exp-", 10);
    expect(exposures.map((e) => `${e.targetingKey} ${e.experiment}`).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `go-exp-${i} go-checkout-experiment`),
    );
  }, 300_000);

  it("is used from a separate module through a replace directive, running the docs example", async () => {
    const app = join(work, "app");
    await mkdir(app);
    await cp(join(ROOT, "test/sdk/go/consumer/example.go"), join(app, "example.go"));
    await goRun(["mod", "init", "example.com/shop/app"], app);
    await goRun(["mod", "edit", `-require=${MODULE}@v0.1.0`, `-replace=${MODULE}=../flags`], app);
    await goRun(["mod", "tidy"], app);
    await goRun(["vet", "."], app);
    const ran = await goRun(["run", ".", evaluator.url, evaluator.token], app);
    expect(ran.stdout).toBe("checkout=true color=green limit=10 express-pay=false (PREREQUISITE_FAILED)\n");
    expect(await trackedEvents(evaluator, "user-1", 1)).toEqual([{ event: "purchase", value: 42.5 }]);
  }, 300_000);
});
