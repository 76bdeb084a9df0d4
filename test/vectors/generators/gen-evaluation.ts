// Generator for the TypeScript-engine part of test/vectors/evaluation.json (flags gen-*, cases
// marked "generated"). The hand-written cases (gen_evaluation.py) are kept as they are; the
// generated ones take their expectations from core/evaluate. Before writing, it checks the
// engine's hashing against bucketing.json (independent Python/mmh3) for every vector, and that
// bucketing.json holds every salt × user key the generated cases hash (keys.json).
//   node test/vectors/generators/gen-evaluation.ts [--check]
import { readFileSync, writeFileSync } from "node:fs";
import { bucket, murmur3 } from "../../../core/hashing/bucket.ts";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import type { EvaluateOptions } from "../../../core/evaluate/result.ts";
import type { CompiledFlag, Snapshot } from "../../../core/snapshot/snapshot.ts";
import { compiledFlags } from "./compiled-flags.ts";
import { edgeFlags } from "./edge-flags.ts";
import { describeProbe, OPERATOR_CASES, operatorFlag, probeContext } from "./operator-cases.ts";
import { userCases, type CaseInput } from "./user-cases.ts";

const here = new URL("./", import.meta.url);
const evaluationPath = new URL("../evaluation.json", here);
const bucketingPath = new URL("../bucketing.json", here);

interface VectorCase {
  description: string;
  flag: string;
  context: unknown;
  options?: EvaluateOptions;
  expected: Record<string, unknown>;
  generated?: true;
}
interface EvaluationFile {
  description: string;
  snapshot: Snapshot;
  cases: VectorCase[];
}
interface Keys {
  keys: string[];
  longKeys: { repeat: string; times: number }[];
  salts: string[];
  longKeySalts: string[];
}

function readJson<T>(url: URL): T {
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

/** The engine must reproduce every independent hash; and every pair the cases hash must be there. */
function checkHashing(keys: Keys): number {
  const file = readJson<{ vectors: { salt: string; value: string; hash: number; bucket: number }[] }>(bucketingPath);
  const known = new Map<string, number>();
  for (const v of file.vectors) {
    if (murmur3(`${v.salt}:${v.value}`) !== v.hash || bucket(v.salt, v.value) !== v.bucket)
      throw new Error(`core/hashing disagrees with bucketing.json for ${v.salt}:${v.value.slice(0, 40)}`);
    known.set(`${v.salt}\u0000${v.value}`, v.bucket);
  }
  const longKeys = keys.longKeys.map((k) => k.repeat.repeat(k.times));
  const wanted = [
    ...keys.salts.flatMap((s) => keys.keys.map((k) => [s, k] as const)),
    ...keys.longKeySalts.flatMap((s) => longKeys.map((k) => [s, k] as const)),
  ];
  for (const [salt, key] of wanted) {
    if (!known.has(`${salt}\u0000${key}`))
      throw new Error(`bucketing.json lacks ${salt}:${key.slice(0, 20)}; run gen_bucketing.py first`);
  }
  return file.vectors.length;
}

function expectationOf(snapshot: Snapshot, input: CaseInput): Record<string, unknown> {
  const context = input.context === null ? undefined : input.context;
  const result = evaluate(snapshot, input.flag, context, input.options);
  const expected: Record<string, unknown> = { value: result.value ?? null, reason: result.reason };
  if (result.variant !== undefined) expected.variant = result.variant;
  if (result.errorCode !== undefined) expected.errorCode = result.errorCode;
  if (result.metadata !== undefined) expected.metadata = result.metadata;
  if (result.errorCode !== undefined && input.options?.defaultValue === undefined)
    throw new Error(`${input.description}: error cases need a defaultValue (JSON has no undefined)`);
  return expected;
}

function operatorCases(flags: Record<string, CompiledFlag>): CaseInput[] {
  const cases: CaseInput[] = [];
  OPERATOR_CASES.forEach(({ condition, probes }, i) => {
    const key = `gen-op-${String(i).padStart(2, "0")}-${condition.operator}`;
    flags[key] = operatorFlag(key, condition);
    const shown = JSON.stringify({ ...condition, operator: undefined });
    for (const probe of probes) {
      cases.push({
        description: `${condition.operator} ${shown} vs ${describeProbe(probe)}`,
        flag: key,
        context: probeContext(probe),
      });
    }
  });
  return cases;
}

function main(): void {
  const check = process.argv.includes("--check");
  const keys = readJson<Keys>(new URL("keys.json", here));
  const vectorCount = checkHashing(keys);
  const file = readJson<EvaluationFile>(evaluationPath);
  const flags: Record<string, CompiledFlag> = {};
  for (const [key, flag] of Object.entries(file.snapshot.flags)) if (!key.startsWith("gen-")) flags[key] = flag;
  const handWritten = file.cases.filter((c) => c.generated !== true);
  Object.assign(flags, compiledFlags(), edgeFlags());
  const inputs = [...operatorCases(flags), ...userCases(keys)];
  const snapshot: Snapshot = { ...file.snapshot, flags };
  for (const c of handWritten) {
    const got = expectationOf(snapshot, c);
    for (const field of ["value", "variant", "reason", "errorCode"])
      if (JSON.stringify(got[field]) !== JSON.stringify(c.expected[field]))
        throw new Error(`hand-written case "${c.description}" no longer holds: ${JSON.stringify(got)}`);
  }
  const generated: VectorCase[] = inputs.map((input) => ({
    description: input.description,
    flag: input.flag,
    context: input.context,
    ...(input.options ? { options: input.options } : {}),
    expected: expectationOf(snapshot, input),
    generated: true,
  }));
  const text = `${JSON.stringify({ ...file, snapshot, cases: [...handWritten, ...generated] }, null, 1)}\n`;
  const summary = `${handWritten.length} hand-written + ${generated.length} generated cases, ${Object.keys(flags).length} flags; hashing checked against ${vectorCount} independent vectors`;
  if (check) {
    if (readFileSync(evaluationPath, "utf8") !== text)
      throw new Error("evaluation.json is stale: run gen-evaluation.ts");
    console.log(`evaluation.json is up to date (${summary})`);
    return;
  }
  writeFileSync(evaluationPath, text);
  console.log(`wrote evaluation.json: ${summary}`);
}

main();
