// Hostile manifest files: alias bombs, bytes that are not UTF-8, files that are not files,
// symlink loops, impossible dates, numbers that read as infinity, __proto__ keys in values.
// Each case has its own fixture (test/fixtures/hostile or made here) and asserts the message.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { formatProblem, loadManifestPaths, parseManifests } from "../../../core/manifest/load.ts";
import { validateManifestPaths } from "../../../core/validate/paths.ts";
import { MAX_MANIFEST_FILE_BYTES, YAML_EXPANSION_ALLOWANCE } from "../../../core/limits.ts";

const fixtures = new URL("../../fixtures/hostile/", import.meta.url).pathname;
const flag = (name: string) =>
  `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec:\n  type: boolean\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-hostile-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a YAML alias bomb", () => {
  it("is refused quickly, in little memory, with a message naming the limit", async () => {
    const file = join(fixtures, "billion-laughs.yaml");
    expect((await readFile(file)).length).toBeLessThan(742);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { resources, problems } = await loadManifestPaths([file]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    expect(resources).toEqual([]);
    const limit = (await readFile(file, "utf8")).length + YAML_EXPANSION_ALLOWANCE;
    expect(problems.map(formatProblem)).toEqual([
      `${file} (document 1): YAML aliases expand this document to more than ${limit} values (the file's ` +
        `${limit - YAML_EXPANSION_ALLOWANCE} characters plus ${YAML_EXPANSION_ALLOWANCE}): refused as an alias ` +
        `bomb; write the values out or use fewer aliases`,
    ]);
  });

  it("still lets a file use a few aliases", () => {
    const text = `${flag("a")}  rules:\n    - name: r\n      conditions: &c [{ attribute: country, operator: in, values: [US] }]\n      serve: { variant: "on" }\n    - name: s\n      conditions: *c\n      serve: { variant: "off" }\n`;
    expect(parseManifests(text, "a.yaml").problems).toEqual([]);
  });

  it("refuses a recursive alias instead of walking it forever", () => {
    const { problems } = parseManifests("a: &a\n  b: *a\n", "loop.yaml");
    expect(problems.map((p) => p.code)).toEqual([expect.stringMatching(/YAML_SYNTAX|YAML_TOO_LARGE/)]);
  });
});

describe("bytes and sizes", () => {
  it("refuses a Latin-1 byte, naming the file and the byte offset", async () => {
    const file = join(fixtures, "latin1.yaml");
    const { problems } = await loadManifestPaths([file]);
    expect(problems.map(formatProblem)).toEqual([
      `${file}: not valid UTF-8: byte 0xe9 at offset 119 (save the file as UTF-8)`,
    ]);
  });

  it(`refuses a file over ${MAX_MANIFEST_FILE_BYTES} bytes without reading it`, async () => {
    const file = join(dir, "huge.yaml");
    await writeFile(file, "");
    execFileSync("truncate", ["-s", String(MAX_MANIFEST_FILE_BYTES + 1), file]);
    const { problems } = await loadManifestPaths([dir]);
    expect(problems.map(formatProblem)).toEqual([
      `${file}: the file is ${MAX_MANIFEST_FILE_BYTES + 1} bytes, more than the ${MAX_MANIFEST_FILE_BYTES}-byte limit per manifest file: split it`,
    ]);
  });
});

describe("entries of a flag folder that are not files", () => {
  it("skips a FIFO named like a manifest with a warning instead of blocking on it", async () => {
    await writeFile(join(dir, "a.yaml"), flag("a"));
    execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    const loaded = await loadManifestPaths([dir]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.resources.map((r) => r.metadata.name)).toEqual(["a"]);
    expect(loaded.warnings.map(formatProblem)).toEqual([
      `${join(dir, "pipe.yaml")}: skipped: a named pipe (FIFO), not a manifest file`,
    ]);
  });

  it("skips symlink loops, file and directory, with a warning", async () => {
    await mkdir(join(dir, "team"));
    await writeFile(join(dir, "team", "a.yaml"), flag("a"));
    await symlink(join(dir, "loop-b.yaml"), join(dir, "loop-a.yaml"));
    await symlink(join(dir, "loop-a.yaml"), join(dir, "loop-b.yaml"));
    await symlink(dir, join(dir, "team", "up"));
    const loaded = await loadManifestPaths([dir]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.resources.map((r) => r.metadata.name)).toEqual(["a"]);
    expect(loaded.warnings.map(formatProblem)).toEqual([
      `${join(dir, "loop-a.yaml")}: skipped: too many levels of symbolic links (a symlink loop)`,
      `${join(dir, "loop-b.yaml")}: skipped: too many levels of symbolic links (a symlink loop)`,
      `${join(dir, "team", "up")}: skipped: a symlink loop back to ${dir}, already read`,
    ]);
  });

  it("reports a FIFO named explicitly as a problem", async () => {
    execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    const { problems } = await loadManifestPaths([join(dir, "pipe.yaml")]);
    expect(problems.map(formatProblem)).toEqual([
      `${join(dir, "pipe.yaml")}: cannot read: a named pipe (FIFO), not a manifest file`,
    ]);
  });
});

describe("operands", () => {
  it("refuses impossible calendar dates and numbers that read as infinity", async () => {
    const file = join(fixtures, "bad-dates.yaml");
    const { problems } = await validateManifestPaths([file]);
    const at = `${file} (document 1) FeatureFlag "dates": spec.rules[0].conditions`;
    const expected = "an RFC 3339 time such as 2026-11-24T09:00:00Z, a date such as 2026-11-24, or epoch milliseconds";
    expect(problems.map(formatProblem).sort()).toEqual(
      [
        `${at}[0].values[0]: after needs ${expected} (got "2026-02-30")`,
        `${at}[1].values[0]: before needs ${expected} (got "2026-03-01T24:00:00Z")`,
        `${at}[2].values[0]: lessThan needs a number (it must be finite) (got "1e309")`,
        `${file} (document 2) FeatureFlag "infinite": spec.rules[0].conditions[0].values[0]: must be a string or a number (got Infinity, which is not a finite number)`,
      ].sort(),
    );
  });
});

describe("a JSON variant value with a __proto__ key", () => {
  it("is kept as data and compiled as written", async () => {
    const file = join(fixtures, "proto-value.json");
    const { resources, problems } = await loadManifestPaths([file]);
    expect(problems).toEqual([]);
    const { snapshot } = compile(resources, { namespace: "default", environment: "production" });
    expect(JSON.stringify(snapshot.flags["proto-value"]?.variants.config)).toBe('{"__proto__":{"admin":true},"k":"v"}');
    expect(Object.getPrototypeOf(snapshot.flags["proto-value"]?.variants.config)).toBe(Object.prototype);
  });
});
