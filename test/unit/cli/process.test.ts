// The real `vexil` process: commands are wired into cli/main.ts, print where they should and
// exit 0 (ok), 1 (problems, failed evaluation) or 2 (bad usage). Behaviour in detail is
// tested in process by validate/eval/compile.test.ts; each spawn here loads every command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, flagsDir, vexil } from "./run-cli.ts";

let flags: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  flags = await flagsDir({ "checkout.yaml": CHECKOUT });
});
afterAll(async () => {
  await flags.cleanup();
});

describe.concurrent("the vexil command", () => {
  it("validate exits 0 with a summary", async () => {
    expect(await vexil(["validate", flags.dir])).toEqual({ code: 0, stdout: "2 resources valid\n", stderr: "" });
  });

  it("validate exits 1 on problems", async () => {
    const result = await vexil(["validate", `${flags.dir}/missing`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("cannot read: no such file or directory");
  });

  it("eval prints JSON and exits 0", async () => {
    const result = await vexil([
      "eval",
      "new-checkout",
      "--flags",
      flags.dir,
      "--context",
      '{"targetingKey":"u","plan":"premium"}',
      "--output",
      "json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      key: "new-checkout",
      value: true,
      variant: "on",
      reason: "TARGETING_MATCH",
    });
  });

  it("eval exits 1 for a missing flag", async () => {
    const result = await vexil(["eval", "ghost", "--flags", flags.dir]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: 'error: ghost: FLAG_NOT_FOUND: flag "ghost" not found\n' });
  });

  it("eval exits 2 for --context that is not JSON", async () => {
    const result = await vexil(["eval", "new-checkout", "--flags", flags.dir, "--context", "{bad"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --context is not valid JSON/);
  });

  it("exits 2 for a bad --output and a missing required option", async () => {
    const output = await vexil(["validate", flags.dir, "--output", "yaml"]);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain("argument 'yaml' is invalid. Allowed choices are human, json.");
    const env = await vexil(["compile", "--flags", flags.dir]);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("required option '--env <environment>' not specified");
  });

  it("compile prints the snapshot and exits 0", async () => {
    const result = await vexil(["compile", "--flags", flags.dir, "--env", "production"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schemaVersion: 1, environment: "production" });
  });
});
