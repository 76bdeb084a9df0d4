import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runValidate } from "../../../cli/commands/validate.ts";
import { capture, CHECKOUT, flagsDir } from "./run-cli.ts";

const BROKEN = `apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: { name: broken }
spec:
  type: boolean
  rollout: { strategy: percentage, percentage: 120 }
`;

let good: Awaited<ReturnType<typeof flagsDir>>;
let bad: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  good = await flagsDir({ "checkout.yaml": CHECKOUT });
  bad = await flagsDir({ "checkout.yaml": CHECKOUT, "team/broken.yaml": BROKEN });
});
afterAll(async () => {
  await good.cleanup();
  await bad.cleanup();
});

describe("vexil validate", () => {
  it("prints a summary and exits 0 when everything is valid", async () => {
    const io = capture();
    expect(await runValidate(io, [good.dir], { output: "human" })).toBe(0);
    expect(io).toMatchObject({ stdout: "2 resources valid\n", stderr: "" });
  });

  it("prints each problem with file, document, resource and field, and exits 1", async () => {
    const io = capture();
    expect(await runValidate(io, [bad.dir], { output: "human" })).toBe(1);
    expect(io.stdout).toBe(
      `${bad.dir}/team/broken.yaml (document 1) FeatureFlag "broken": spec.rollout.percentage: must be at most 100 (got 120)\n`,
    );
    expect(io.stderr).toBe(`1 problem in ${bad.dir}\n`);
  });

  it("reports JSON for scripts", async () => {
    const io = capture();
    expect(await runValidate(io, [bad.dir], { output: "json" })).toBe(1);
    const report = JSON.parse(io.stdout) as { problems: unknown[] };
    expect(report).toMatchObject({ valid: false, resources: 2, kinds: { FeatureFlag: 1, Segment: 1 } });
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: "SCHEMA",
        path: "spec.rollout.percentage",
        kind: "FeatureFlag",
        name: "broken",
        document: 1,
      }),
    ]);
    const ok = capture();
    expect(await runValidate(ok, [good.dir], { output: "json" })).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      valid: true,
      resources: 2,
      kinds: { FeatureFlag: 1, Segment: 1 },
      problems: [],
      warnings: [],
    });
  });

  it("validates several paths together, so references across them resolve", async () => {
    const io = capture();
    const flagOnly = CHECKOUT.split("---")[0]!;
    const split = await flagsDir({ "a/flag.yaml": flagOnly, "b/segment.yaml": CHECKOUT.split("---")[1]! });
    try {
      expect(await runValidate(io, [`${split.dir}/a`, `${split.dir}/b`], { output: "human" })).toBe(0);
      const alone = capture();
      expect(await runValidate(alone, [`${split.dir}/a`], { output: "human" })).toBe(1);
      expect(alone.stdout).toContain('spec.rules[0].segments[0]: segment "premium-users"');
    } finally {
      await split.cleanup();
    }
  });

  it("reports a path that does not exist", async () => {
    const io = capture();
    expect(await runValidate(io, [`${good.dir}/missing`], { output: "human" })).toBe(1);
    expect(io.stdout).toBe(`${good.dir}/missing: cannot read: no such file or directory\n`);
  });
});
