// Reloads never serve stale or missing flags in silence: a file caught empty keeps its last good
// content, a folder deleted and recreated is watched again, and /readyz says when it is stale.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { flagYaml, startEvaluator, type Harness } from "./harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const evaluate = async (h: Harness, key: string) =>
  (await fetch(`${h.baseUrl}/ofrep/v1/evaluate/flags/${key}`, { method: "POST" })).status;
const readyz = async (h: Harness) => (await (await fetch(`${h.baseUrl}/readyz`)).json()) as Record<string, unknown>;

describe("directory reloads", () => {
  it("keep serving a file's flags while it is empty, and say the snapshot is stale until it parses", async () => {
    harness = await startEvaluator({ "a.yaml": flagYaml("alpha", "type: boolean") });
    await harness.write("a.yaml", "");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(await evaluate(harness, "alpha"));
      await sleep(50);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await readyz(harness)).toMatchObject({
      status: "stale",
      lastError: `${path.join(harness.dir, "a.yaml")}: empty, served from its last good content`,
    });
    expect(await harness.metric("vexil_snapshot_stale")).toContain("vexil_snapshot_stale 1");
    await harness.write("a.yaml", flagYaml("alpha", "type: boolean\nenabled: false"));
    await expect.poll(() => readyz(harness!), { timeout: 3000 }).toMatchObject({ status: "ready" });
    expect(await harness.metric("vexil_snapshot_stale")).toContain("vexil_snapshot_stale 0");
  });

  it("serve the new content of a folder deleted and recreated", async () => {
    harness = await startEvaluator({ "a.yaml": flagYaml("alpha", "type: boolean") });
    const moved = `${harness.dir}-old`;
    await rename(harness.dir, moved);
    await mkdir(harness.dir);
    await writeFile(path.join(harness.dir, "b.yaml"), flagYaml("beta", "type: boolean"));
    await expect.poll(() => evaluate(harness!, "beta"), { timeout: 8000, interval: 200 }).toBe(200);
    await expect.poll(() => evaluate(harness!, "alpha"), { timeout: 3000, interval: 200 }).toBe(404);
    await rm(moved, { recursive: true, force: true });
  });
});
