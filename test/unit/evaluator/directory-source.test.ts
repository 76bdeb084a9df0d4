// The directory source on its own: scheduled recompiles, polling, and stop().
import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { DirectorySnapshotSource } from "../../../evaluator/sources/directory.ts";
import { flagYaml } from "./harness.ts";

let source: DirectorySnapshotSource | undefined;
let dir: string | undefined;
afterEach(async () => {
  await source?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function dirWith(yaml: string): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), "vexil-dir-"));
  await writeFile(path.join(dir, "flags.yaml"), yaml);
  return dir;
}

describe("DirectorySnapshotSource", () => {
  it("recompiles at nextChangeAt, when a gradual rollout takes its next step", { timeout: 30_000 }, async () => {
    const start = new Date().toISOString();
    const yaml = flagYaml(
      "ramp",
      `type: boolean\nrollout: {strategy: gradual, from: 0, to: 100, steps: 1, start: "${start}", duration: 4s}`,
    );
    source = new DirectorySnapshotSource({ dir: await dirWith(yaml), namespace: "default", environment: "production" });
    await source.start();
    const first = source.current()!;
    expect(first.nextChangeAt).toBeDefined();
    expect(evaluate(first, "ramp", { targetingKey: "u1" })).toMatchObject({ value: false });
    await expect.poll(() => source!.current()?.hash, { timeout: 15_000 }).not.toBe(first.hash);
    expect(evaluate(source.current()!, "ramp", { targetingKey: "u1" })).toMatchObject({ value: true, reason: "SPLIT" });
  });

  it("notices changes by polling when asked to", async () => {
    source = new DirectorySnapshotSource({
      dir: await dirWith(flagYaml("polled", "type: boolean")),
      namespace: "default",
      environment: "production",
      pollMs: 50,
      debounceMs: 10,
    });
    await source.start();
    const changes: string[] = [];
    source.on("change", (s) => changes.push(s.hash));
    await writeFile(path.join(dir!, "more.yaml"), flagYaml("added", "type: boolean"));
    await expect
      .poll(() => Object.keys(source!.current()?.flags ?? {}), { timeout: 2000 })
      .toEqual(["added", "polled"]);
    expect(changes).toHaveLength(1);
  });

  it("reports the problems of a rejected reload", async () => {
    source = new DirectorySnapshotSource({
      dir: await dirWith(flagYaml("x", "type: boolean\ndefaultVariant: maybe")),
      namespace: "default",
      environment: "production",
    });
    const rejections: string[] = [];
    source.on("reload", (outcome, detail) => rejections.push(`${outcome}: ${detail}`));
    await source.start();
    expect(source.current()).toBeUndefined();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatch(/^invalid: .*flags\.yaml.*FeatureFlag "x".*maybe/s);
  });
});
