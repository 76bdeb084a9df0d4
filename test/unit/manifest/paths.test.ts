import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatProblem, loadManifestPaths, ProblemCode } from "../../../core/manifest/load.ts";
import { validateManifestPaths } from "../../../core/validate/paths.ts";

const flag = (name: string, extra = "") =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec:\n  type: boolean\n${extra}`;
const segment = (name: string) =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: Segment\nmetadata:\n  name: ${name}\nspec:\n  included: [u1]\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-manifests-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadManifestPaths", () => {
  it("reads directories recursively in sorted order, skipping dotfiles and other extensions", async () => {
    await mkdir(join(dir, "team-b"));
    await mkdir(join(dir, ".git"));
    await writeFile(join(dir, "z.yaml"), flag("z"));
    await writeFile(join(dir, "a.yml"), flag("a"));
    await writeFile(
      join(dir, "team-b", "m.json"),
      JSON.stringify({ apiVersion: "flags.vexil.dev/v1alpha1", kind: "Segment", metadata: { name: "m" }, spec: {} }),
    );
    await writeFile(join(dir, ".hidden.yaml"), "not: [valid");
    await writeFile(join(dir, ".git", "config.yaml"), "not: [valid");
    await writeFile(join(dir, "README.md"), "# not a manifest");
    const { resources, problems } = await loadManifestPaths([dir]);
    expect(problems).toEqual([]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a", "m", "z"]);
  });

  it("reads a file named explicitly whatever its extension", async () => {
    await writeFile(join(dir, "flags.txt"), flag("a"));
    const { resources } = await loadManifestPaths([join(dir, "flags.txt")]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a"]);
  });

  it("reports a missing path as a problem and still loads the others", async () => {
    await writeFile(join(dir, "a.yaml"), flag("a"));
    const missing = join(dir, "nope");
    const { resources, problems } = await loadManifestPaths([missing, dir]);
    expect(resources).toHaveLength(1);
    expect(problems.map(formatProblem)).toEqual([`${missing}: cannot read: no such file or directory`]);
    expect(problems[0]?.code).toBe(ProblemCode.READ_ERROR);
  });

  it.skipIf(process.getuid?.() === 0)("reports an unreadable file as a problem", async () => {
    const file = join(dir, "secret.yaml");
    await writeFile(file, flag("a"));
    await chmod(file, 0o000);
    const { problems } = await loadManifestPaths([dir]);
    expect(problems.map(formatProblem)).toEqual([`${file}: cannot read: permission denied`]);
  });

  it("reports a dangling symlink in a directory as a problem, not a crash", async () => {
    await symlink(join(dir, "gone.yaml"), join(dir, "link.yaml"));
    const { problems } = await loadManifestPaths([dir]);
    expect(problems.map(formatProblem)).toEqual([`${join(dir, "link.yaml")}: cannot read: no such file or directory`]);
  });

  it("keeps loading other files after a syntax error in one", async () => {
    await writeFile(join(dir, "a.yaml"), flag("a"));
    await writeFile(join(dir, "b.yaml"), "kind: [oops");
    const { resources, problems } = await loadManifestPaths([dir]);
    expect(resources.map((r) => r.metadata.name)).toEqual(["a"]);
    expect(problems.map((p) => [p.file, p.code])).toEqual([[join(dir, "b.yaml"), ProblemCode.YAML_SYNTAX]]);
  });
});

describe("validateManifestPaths", () => {
  it("resolves references across files", async () => {
    await writeFile(join(dir, "segments.yaml"), segment("beta"));
    await writeFile(
      join(dir, "flag.yaml"),
      flag("a", "  rules:\n    - segments: [beta]\n      serve: { variant: 'on' }\n"),
    );
    expect((await validateManifestPaths([dir])).problems).toEqual([]);
    await rm(join(dir, "segments.yaml"));
    expect((await validateManifestPaths([dir])).problems.map((p) => p.code)).toEqual([ProblemCode.UNKNOWN_SEGMENT]);
  });

  it("names both files when a resource is defined twice", async () => {
    await writeFile(join(dir, "one.yaml"), flag("a"));
    await writeFile(join(dir, "two.yaml"), `${segment("s")}---\n${flag("a")}`);
    const { problems } = await validateManifestPaths([dir]);
    expect(problems.map(formatProblem)).toEqual([
      `${dir}/two.yaml (document 2) FeatureFlag "a": metadata.name: FeatureFlag "a" is defined more than once: first at ${dir}/one.yaml (document 1), again at ${dir}/two.yaml (document 2)`,
    ]);
  });

  it("reports each problem once: loading stops at the schema, validation runs once", async () => {
    await writeFile(join(dir, "one.yaml"), flag("a", "  defaultVariant: maybe\n"));
    await writeFile(join(dir, "two.yaml"), flag("a"));
    await writeFile(join(dir, "three.yaml"), "kind: [oops");
    expect((await loadManifestPaths([dir])).problems.map((p) => p.code)).toEqual([ProblemCode.YAML_SYNTAX]);
    const { problems } = await validateManifestPaths([dir]);
    expect(problems.map((p) => p.code)).toEqual([
      ProblemCode.YAML_SYNTAX,
      ProblemCode.DUPLICATE_RESOURCE,
      ProblemCode.UNKNOWN_VARIANT,
    ]);
  });
});
