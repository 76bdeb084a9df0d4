import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { formatProblem, loadManifestPaths, parseManifests } from "../../../core/manifest/load.ts";
import { findDuplicates, validateResource } from "../../../core/validate/index.ts";
import { validateManifestPaths } from "../../../core/validate/paths.ts";

const examples = resolve(import.meta.dirname, "../../../examples");

describe("examples/", () => {
  it("loads and validates with zero problems", async () => {
    const { resources, problems } = await validateManifestPaths([examples]);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(resources.length).toBeGreaterThanOrEqual(8);
  });

  it("keeps metadata.namespace unset so the files serve any namespace", async () => {
    const { resources } = await loadManifestPaths([examples]);
    expect(resources.filter((r) => r.metadata.namespace !== undefined)).toEqual([]);
  });

  it("covers every flag type, every kind and the main rollout strategies", async () => {
    const { resources } = await loadManifestPaths([examples]);
    const flags = resources.flatMap((r) => (r.kind === "FeatureFlag" ? [r] : []));
    expect(new Set(flags.map((f) => f.spec.type))).toEqual(new Set(["boolean", "string", "number", "json"]));
    expect(new Set(resources.map((r) => r.kind))).toEqual(new Set(["FeatureFlag", "Segment", "Experiment"]));
    const strategies = new Set(flags.map((f) => f.spec.rollout?.strategy).filter(Boolean));
    expect(strategies).toEqual(new Set(["percentage", "ring", "gradual", "canary"]));
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith(".yaml")))(
    "%s is one file per topic, each valid on its own terms",
    (file) => {
      // each file on its own: schema, the per-resource checks and duplicates (references may cross files)
      const { resources, problems } = parseManifests(readFileSync(join(examples, file), "utf8"), file);
      const own = [...problems, ...resources.flatMap(validateResource), ...findDuplicates(resources).problems];
      expect(own.map(formatProblem)).toEqual([]);
    },
  );
});
