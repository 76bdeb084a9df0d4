import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { load } from "js-yaml";
import {
  DirectoryStorage,
  FeatureFlagsInteraction,
  Segment,
  TargetingOperator,
  TargetingRule,
} from "../../../core/facade/index.ts";
import { loadManifestPaths } from "../../../core/manifest/load.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-dir-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const premium = () =>
  new Segment({ name: "premium-users", rules: [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")] });

describe("DirectoryStorage", () => {
  it("writes one CRD-format YAML file per resource that loads back without problems", async () => {
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await flags.createFlag({ key: "new-checkout", rolloutPercentage: 25 });
    await flags.addSegment("new-checkout", premium());
    expect((await readdir(dir)).sort()).toEqual([".vexil-audit.jsonl", "featureflags", "segments"]);
    const yaml = load(await readFile(join(dir, "featureflags", "new-checkout.yaml"), "utf8"));
    expect(yaml).toMatchObject({
      apiVersion: "flags.vexil.dev/v1alpha1",
      kind: "FeatureFlag",
      metadata: { name: "new-checkout" },
    });
    const loaded = await loadManifestPaths([dir]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.resources.map((r) => `${r.kind}/${r.metadata.name}`).sort()).toEqual([
      "FeatureFlag/new-checkout",
      "Segment/premium-users",
    ]);
    expect(loaded.resources.find((r) => r.kind === "FeatureFlag")).toEqual(await flags.getFlag("new-checkout"));
  });

  it("round-trips: a new instance on the same directory evaluates the same", async () => {
    const first = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await first.createFlag({ key: "f" });
    await first.addSegment("f", premium());
    const second = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    expect((await second.listFlags()).map((f) => f.metadata.name)).toEqual(["f"]);
    expect(await second.evaluateFlagDetailed("f", { userId: "u", plan: "premium" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(await second.evaluateFlagDetailed("f", { userId: "u" })).toMatchObject({ value: false, reason: "DEFAULT" });
    await second.deleteFlag("f");
    expect(await readdir(join(dir, "featureflags"))).toEqual([]);
  });

  it("treats a directory that does not exist yet as empty and creates it on the first write", async () => {
    const storage = new DirectoryStorage(join(dir, "new", "flags"));
    const flags = new FeatureFlagsInteraction({ storage });
    expect(await flags.listFlags()).toEqual([]);
    expect(await flags.getAuditLog()).toEqual([]);
    await flags.createFlag({ key: "f" });
    expect(await readdir(join(dir, "new", "flags", "featureflags"))).toEqual(["f.yaml"]);
  });

  it("appends audit entries as JSON lines and never rewrites earlier ones", async () => {
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir), actor: "ci" });
    await flags.createFlag({ key: "f" });
    const before = await readFile(join(dir, ".vexil-audit.jsonl"), "utf8");
    await flags.killSwitch("f");
    const after = await readFile(join(dir, ".vexil-audit.jsonl"), "utf8");
    expect(after.startsWith(before)).toBe(true);
    const lines = after
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { action: string; actor: string });
    expect(lines.map((l) => l.action)).toEqual(["created", "killSwitchOn"]);
    // a later instance reads the same history; a torn last line is skipped
    await writeFile(join(dir, ".vexil-audit.jsonl"), `${after}{"time":`, { flag: "w" });
    const log = await new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) }).getAuditLog({ flagKey: "f" });
    expect(log.map((e) => `${e.actor}:${e.action}`)).toEqual(["ci:created", "ci:killSwitchOn"]);
  });

  it("edits a hand-written one-resource file in place and leaves no temp files", async () => {
    await writeFile(
      join(dir, "checkout.yaml"),
      "apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: checkout }\nspec: { type: boolean }\n",
    );
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await flags.killSwitch("checkout");
    expect((await readdir(dir)).sort()).toEqual([".vexil-audit.jsonl", "checkout.yaml"]);
    expect(load(await readFile(join(dir, "checkout.yaml"), "utf8"))).toMatchObject({ spec: { killSwitch: true } });
  });

  it("changes a resource inside a multi-document file, leaving its neighbours as they were", async () => {
    await mkdir(join(dir, "team"));
    const doc = (name: string) =>
      `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: ${name} }\nspec: { type: boolean }\n`;
    const file = join(dir, "team", "all.yaml");
    await writeFile(file, `${doc("a")}---\n${doc("b")}`);
    const flags = new FeatureFlagsInteraction({ storage: new DirectoryStorage(dir) });
    await flags.killSwitch("a");
    expect(await readFile(file, "utf8")).toBe(
      `${doc("a").replace("spec: { type: boolean }", "spec: { type: boolean, killSwitch: true }")}---\n${doc("b")}`,
    );
    expect(await flags.evaluateFlagDetailed("a", { userId: "u" })).toMatchObject({ value: false, reason: "DISABLED" });
    expect(await flags.evaluateFlag("b", { userId: "u" })).toBe(true);
    await flags.deleteFlag("a");
    expect(await readFile(file, "utf8")).toBe(`---\n${doc("b")}`);
  });
});
