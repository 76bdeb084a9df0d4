// Every manifest in test/fixtures/bad states, in an `# expect:` comment, the one problem it
// must produce. This proves each message (file, document, resource, field path, words) exactly.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, ProblemCode } from "../../../core/manifest/load.ts";
import { validateManifestPaths } from "../../../core/validate/paths.ts";

const root = resolve(import.meta.dirname, "../../..");
const dir = join(root, "test/fixtures/bad");
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** The path as a user in the repository root passes it (vitest runs from the root). */
function asGiven(file: string): string {
  return relative(process.cwd(), join(dir, file));
}

function expectedLine(file: string): string {
  const match = /^# expect: (.*)$/m.exec(readFileSync(join(dir, file), "utf8"));
  if (!match?.[1]) throw new Error(`${file} has no "# expect:" comment`);
  return match[1];
}

const codes: Record<string, { code: string; document: number; path?: string }> = {
  "yaml-syntax.yaml": { code: ProblemCode.YAML_SYNTAX, document: 2 },
  "duplicate-key.yaml": { code: ProblemCode.DUPLICATE_KEY, document: 1 },
  "unknown-kind.yaml": { code: ProblemCode.UNKNOWN_KIND, document: 1 },
  "wrong-api-version.yaml": { code: ProblemCode.API_VERSION, document: 1 },
  "unknown-operator.yaml": { code: ProblemCode.SCHEMA, document: 1, path: "spec.rules[0].conditions[0].operator" },
  "unknown-type.yaml": { code: ProblemCode.SCHEMA, document: 1, path: "spec.type" },
  "unknown-field.yaml": { code: ProblemCode.SCHEMA, document: 1, path: "spec.rolout" },
  "unknown-default-variant.yaml": { code: ProblemCode.UNKNOWN_VARIANT, document: 1, path: "spec.defaultVariant" },
  "boolean-string-value.yaml": { code: ProblemCode.TYPE_MISMATCH_VALUE, document: 1, path: "spec.variants[0].value" },
  "percentage-over-100.yaml": { code: ProblemCode.SCHEMA, document: 2, path: "spec.rollout.percentage" },
  "split-weights-zero.yaml": { code: ProblemCode.INVALID_SPLIT, document: 1, path: "spec.rules[0].serve.split" },
  "unknown-segment.yaml": { code: ProblemCode.UNKNOWN_SEGMENT, document: 2, path: "spec.rules[0].segments[0]" },
  "unknown-rule-variant.yaml": { code: ProblemCode.UNKNOWN_VARIANT, document: 1, path: "spec.rules[0].serve.variant" },
  "prerequisite-cycle.yaml": { code: ProblemCode.PREREQUISITE_CYCLE, document: 1, path: "spec.prerequisites[0].flag" },
  "invalid-regex.yaml": { code: ProblemCode.INVALID_REGEX, document: 1, path: "spec.conditions[0].values[0]" },
  "duplicate-resource.yaml": { code: ProblemCode.DUPLICATE_RESOURCE, document: 2, path: "metadata.name" },
  "number-operand.yaml": {
    code: ProblemCode.INVALID_OPERAND,
    document: 1,
    path: "spec.rules[0].conditions[0].values[0]",
  },
  "gradual-missing-duration.yaml": { code: ProblemCode.MISSING_FIELD, document: 1, path: "spec.rollout.duration" },
  "experiment-unknown-flag.yaml": { code: ProblemCode.UNKNOWN_FLAG, document: 1, path: "spec.flag" },
};

describe("bad manifests", () => {
  it("has an expected code for every fixture and a fixture for every expected code", () => {
    expect(Object.keys(codes).sort()).toEqual(fixtures);
  });

  it.each(fixtures)("%s yields exactly the problem its comment states", async (file) => {
    const { problems } = await validateManifestPaths([asGiven(file)]);
    expect(problems.map(formatProblem)).toEqual([expectedLine(file)]);
    const expected = codes[file];
    expect(problems[0]).toMatchObject({ code: expected?.code, document: expected?.document });
    if (expected?.path) expect(problems[0]?.path).toBe(expected.path);
  });
});
