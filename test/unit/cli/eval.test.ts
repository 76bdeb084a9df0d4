import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEval, type EvalOptions } from "../../../cli/commands/eval.ts";
import { capture, CHECKOUT, flagsDir } from "./run-cli.ts";

let flags: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  flags = await flagsDir({ "checkout.yaml": CHECKOUT });
});
afterAll(async () => {
  await flags.cleanup();
});

const options = (more: Partial<EvalOptions>): EvalOptions => ({
  flags: flags.dir,
  env: "production",
  namespace: "default",
  output: "human",
  ...more,
});

describe("vexil eval", () => {
  it("prints a readable line for people", async () => {
    const io = capture();
    const code = await runEval(io, "new-checkout", options({ context: '{"targetingKey":"user-1","plan":"premium"}' }));
    expect(code).toBe(0);
    expect(io).toMatchObject({ stdout: 'new-checkout = true (variant "on", reason TARGETING_MATCH)\n', stderr: "" });
  });

  it("prints key, value, variant and reason as JSON for scripts", async () => {
    const io = capture();
    expect(await runEval(io, "new-checkout", options({ context: '{"targetingKey":"user-1"}', output: "json" }))).toBe(
      0,
    );
    expect(JSON.parse(io.stdout)).toEqual({ key: "new-checkout", value: false, variant: "off", reason: "DEFAULT" });
  });

  it("evaluates in the environment given", async () => {
    const io = capture();
    await runEval(io, "new-checkout", options({ env: "staging", context: '{"targetingKey":"u"}', output: "json" }));
    expect(JSON.parse(io.stdout)).toMatchObject({ value: true, reason: "SPLIT" });
  });

  it("rejects --context that is not JSON or not an object with a usage error", async () => {
    await expect(runEval(capture(), "new-checkout", options({ context: "{plan:premium}" }))).rejects.toThrow(
      /^--context is not valid JSON \(.*\): \{plan:premium\}$/,
    );
    await expect(runEval(capture(), "new-checkout", options({ context: "[1]" }))).rejects.toThrow(
      `--context must be a JSON object such as '{"targetingKey":"user-1","plan":"premium"}'`,
    );
    await expect(runEval(capture(), "new-checkout", options({ default: "nope" }))).rejects.toThrow(
      /^--default is not valid JSON/,
    );
  });

  it("exits 1 for a flag that does not exist, with the error", async () => {
    const human = capture();
    expect(await runEval(human, "ghost", options({}))).toBe(1);
    expect(human).toMatchObject({ stdout: "", stderr: 'error: ghost: FLAG_NOT_FOUND: flag "ghost" not found\n' });
    const json = capture();
    expect(await runEval(json, "ghost", options({ default: "false", output: "json" }))).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      key: "ghost",
      value: false,
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
  });

  it("explains why an invalid flag cannot be evaluated and counts other problems", async () => {
    const broken = await flagsDir({
      "f.yaml":
        "apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: f }\nspec: { type: string }\n",
      "g.yaml":
        "apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: g }\nspec: { killSwitch: maybe }\n",
    });
    try {
      const io = capture();
      expect(await runEval(io, "f", options({ flags: broken.dir }))).toBe(1);
      expect(io.stderr).toContain(
        `${broken.dir}/f.yaml (document 1) FeatureFlag "f": spec.variants: a string flag needs at least one variant`,
      );
      expect(io.stderr).toContain(`warning: 1 other problem(s) in ${broken.dir}; run: vexil validate ${broken.dir}\n`);
      expect(io.stderr).toContain("error: f: FLAG_NOT_FOUND");
    } finally {
      await broken.cleanup();
    }
  });
});
