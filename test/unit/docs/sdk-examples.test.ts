// docs/sdks.md shows the examples the SDK toolchain tests run: each test/sdk/<language>/example*
// file must appear in it verbatim, so the documentation cannot drift from what is tested.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const docs = readFileSync(join(ROOT, "docs/sdks.md"), "utf8");
const examples = readdirSync(join(ROOT, "test/sdk"), { recursive: true, encoding: "utf8" })
  .filter((file) => /(^|\/)(example|Example)[^/]*$/.test(file))
  .sort();

describe("docs/sdks.md", () => {
  it("has an example for every language", () => {
    expect(examples.map((file) => file.split("/")[0])).toEqual(["go", "java", "python", "typescript"]);
  });

  it.each(examples)("quotes %s verbatim", (file) => {
    expect(docs).toContain(readFileSync(join(ROOT, "test/sdk", file), "utf8"));
  });
});
