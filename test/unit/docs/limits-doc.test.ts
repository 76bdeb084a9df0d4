// docs/limits.md states the bounds users rely on; it must state the ones the code enforces.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as core from "../../../core/limits.ts";
import * as evaluator from "../../../evaluator/limits.ts";

const doc = readFileSync(new URL("../../../docs/limits.md", import.meta.url), "utf8");

describe("docs/limits.md", () => {
  it("states every engine, manifest and evaluator limit with the value the code enforces", () => {
    const rows: [string, string][] = [
      ["manifest file size", `16 MiB (${core.MAX_MANIFEST_FILE_BYTES} bytes)`],
      ["YAML aliases per document", `${core.MAX_YAML_ALIASES}`],
      ["YAML expansion", `the file's length in characters + ${core.YAML_EXPANSION_ALLOWANCE}`],
      ["prerequisite chain", `${core.MAX_PREREQUISITE_DEPTH} prerequisite edges`],
      ["regex program", `${core.MAX_REGEX_PROGRAM_SIZE} RE2 instructions`],
      ["regex input", `at most ${core.MAX_REGEX_INPUT_LENGTH} characters`],
      ["evaluation cost", `${core.FLAG_COST_BUDGET} units per flag`],
      ["request timeout", `${evaluator.DEFAULT_REQUEST_TIMEOUT_MS} ms`],
      ["snapshot downloads", `${evaluator.DEFAULT_MAX_SNAPSHOT_DOWNLOADS} in flight`],
      ["snapshot download time", `${evaluator.SNAPSHOT_DOWNLOAD_TIMEOUT_MS} ms`],
      ["stream clients", `${evaluator.DEFAULT_MAX_STREAM_CLIENTS} (`],
      ["connections", `${evaluator.DEFAULT_MAX_CONNECTIONS} (`],
      ["heap limit", `${evaluator.MEMORY.heapBaseMiB} MiB + ${evaluator.MEMORY.heapPerFlagKiB} KiB per flag`],
      ["outside the heap", `${evaluator.MEMORY.outsideHeapMiB} MiB`],
      ["per open connection", `${evaluator.MEMORY.perConnectionKiB} KiB`],
      ["per event stream", `${evaluator.MEMORY.perStreamKiB} KiB`],
    ];
    for (const [name, value] of rows) {
      const row = doc.split("\n").find((line) => line.startsWith(`| ${name} |`));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(value);
    }
  });
});
