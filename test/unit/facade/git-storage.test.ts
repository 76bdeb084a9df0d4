// The directory backend is what teams keep in git, so a change through the API must look like a
// person's edit: a no-op over examples/ leaves every file byte-identical, a kill switch is a
// one-line diff (inside a multi-document file), comments survive, and another process's change
// reaches this instance within a second because the directory is watched.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DirectoryStorage, FeatureFlagsInteraction } from "../../../core/facade/index.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const EXAMPLES = join(ROOT, "examples");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-git-"));
  await cp(EXAMPLES, dir, { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function manifests(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder)).filter((f) => f.endsWith(".yaml")).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(join(folder, f), "utf8")])));
}

/** "+line" / "-line" for each line only in one of the texts. */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  return [
    ...a.filter((l) => !b.includes(l)).map((l) => `-${l}`),
    ...b.filter((l) => !a.includes(l)).map((l) => `+${l}`),
  ];
}

describe("DirectoryStorage keeps the YAML people wrote", () => {
  it("a no-op write of every resource over examples/ leaves every file byte-identical", async () => {
    const storage = new DirectoryStorage(dir);
    for (const kind of ["FeatureFlag", "Segment", "Experiment"] as const) {
      for (const resource of await storage.list(kind)) await storage.put(resource);
    }
    expect(await manifests(dir)).toEqual(await manifests(EXAMPLES));
  });

  it("a kill switch through the API is a one-line diff in a multi-document file; the rest is untouched", async () => {
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await flags.killSwitch("payments-v2");
    const before = await manifests(EXAMPLES);
    const after = await manifests(dir);
    expect(changedLines(before["checkout.yaml"] ?? "", after["checkout.yaml"] ?? "")).toEqual(["+  killSwitch: true"]);
    expect({ ...after, "checkout.yaml": "" }).toEqual({ ...before, "checkout.yaml": "" });
    await flags.close();
  });

  it("a rollout change edits the value in place and keeps comments and quoting", async () => {
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await flags.setRolloutPercentage("new-checkout", 50);
    const before = (await readFile(join(EXAMPLES, "checkout.yaml"), "utf8")).split("\n");
    const after = (await readFile(join(dir, "checkout.yaml"), "utf8")).split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["    percentage: 50"]);
    expect(after.join("\n")).toContain("# the payments team's own accounts stay on v1");
    expect(after.join("\n")).toContain('defaultVariant: "on"');
    await flags.close();
  });
});

describe("another process's change reaches this instance within a second", () => {
  it("a second API instance and `vexil flags kill` on the same directory", async () => {
    const reader = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    const writer = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    const user = { userId: "user-1" };
    try {
      expect(await reader.evaluateFlagDetailed("payments-v2", user)).toMatchObject({ value: true });
      await writer.killSwitch("payments-v2");
      let started = Date.now();
      await expect
        .poll(async () => (await reader.evaluateFlagDetailed("payments-v2", user)).reason, {
          timeout: 1000,
          interval: 20,
        })
        .toBe("DISABLED");
      const viaApi = Date.now() - started;

      expect(await reader.evaluateFlagDetailed("search-backend", user)).toMatchObject({ reason: "DISABLED" });
      await new Promise<void>((done, fail) =>
        execFile(
          join(ROOT, "node_modules/.bin/node"),
          [join(ROOT, "cli/main.ts"), "flags", "restore", "search-backend", "--flags", dir],
          (error) => (error ? fail(error) : done()),
        ),
      );
      started = Date.now();
      await expect
        .poll(async () => (await reader.evaluateFlagDetailed("search-backend", user)).reason, {
          timeout: 1000,
          interval: 20,
        })
        .not.toBe("DISABLED");
      const viaCli = Date.now() - started;
      expect(Math.max(viaApi, viaCli)).toBeLessThan(1000);
    } finally {
      await reader.close();
      await writer.close();
    }
  }, 60_000);
});
