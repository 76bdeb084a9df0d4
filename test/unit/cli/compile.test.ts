import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCompile } from "../../../cli/commands/compile.ts";
import type { Snapshot } from "../../../core/snapshot/snapshot.ts";
import { capture, CHECKOUT, flagsDir } from "./run-cli.ts";

let flags: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  flags = await flagsDir({ "checkout.yaml": CHECKOUT });
});
afterAll(async () => {
  await flags.cleanup();
});

async function compiled(env: string, namespace = "default"): Promise<Snapshot> {
  const io = capture();
  expect(await runCompile(io, { flags: flags.dir, env, namespace })).toBe(0);
  expect(io.stderr).toBe("");
  return JSON.parse(io.stdout) as Snapshot;
}

describe("vexil compile", () => {
  it("prints the snapshot JSON for the environment, with segments inlined", async () => {
    const snapshot = await compiled("staging", "shop");
    expect(snapshot).toMatchObject({ schemaVersion: 1, namespace: "shop", environment: "staging" });
    expect(snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
    const flag = snapshot.flags["new-checkout"];
    expect(flag?.rollout).toMatchObject({ kind: "percentage", percentage: 100 });
    expect(flag?.rules[0]?.segments[0]?.name).toBe("premium-users");
    expect((await compiled("production")).flags["new-checkout"]?.rollout).toMatchObject({ percentage: 0 });
  });

  it("is deterministic: the same input gives the same hash", async () => {
    expect((await compiled("production")).hash).toBe((await compiled("production")).hash);
  });

  it("writes problems to stderr, no snapshot, and exits 1", async () => {
    const broken = await flagsDir({
      "checkout.yaml": CHECKOUT,
      "bad.yaml":
        'apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: bad }\nspec: { rules: [{ segments: [nobody], serve: { variant: "on" } }] }\n',
    });
    try {
      const io = capture();
      expect(await runCompile(io, { flags: broken.dir, env: "production", namespace: "default" })).toBe(1);
      expect(io.stdout).toBe("");
      expect(io.stderr).toContain(`${broken.dir}/bad.yaml (document 1) FeatureFlag "bad": spec.rules[0].segments[0]:`);
      expect(io.stderr).toMatch(/\n1 problem: no snapshot written\n$/);
    } finally {
      await broken.cleanup();
    }
  });
});
