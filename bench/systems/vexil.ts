// Vexil: the manifests of bench/cases.ts go through the real data path (parse, validate,
// compile) into a snapshot, then `evaluate` is called as the evaluator calls it.
import { compile } from "../../core/compile/compile.ts";
import { evaluate } from "../../core/evaluate/evaluate.ts";
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import { formatProblem, parseManifests } from "../../core/manifest/load.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import { FLAG_KEYS, VEXIL_YAML, type BenchUser, type CaseId } from "../cases.ts";
import { packageVersion, type BenchSystem, type SystemCase } from "./system.ts";

export function benchSnapshot(): Snapshot {
  const parsed = parseManifests(VEXIL_YAML, "bench/cases.ts");
  const { snapshot, problems } = compile(parsed.resources, { namespace: "bench", environment: "production" });
  const all = [...parsed.problems, ...problems];
  if (all.length > 0) throw new Error(`benchmark flags do not compile:\n${all.map(formatProblem).join("\n")}`);
  return snapshot;
}

export function vexilSystem(): BenchSystem {
  const snapshot = benchSnapshot();
  const answer = (result: unknown) => (result as EvaluationResult).value as boolean | string;
  const call = (key: string): SystemCase => ({ run: (context) => evaluate(snapshot, key, context), answer });
  const cases = {} as Record<CaseId, SystemCase>;
  for (const id of Object.keys(FLAG_KEYS) as CaseId[]) cases[id] = call(FLAG_KEYS[id]);
  return {
    name: "vexil",
    // node_modules/../package.json: the repository's own package
    version: packageVersion(".."),
    api: "evaluate(snapshot, key, context)",
    contexts: (users: readonly BenchUser[]) =>
      users.map((u) => ({ targetingKey: u.id, country: u.country, plan: u.plan })),
    cases,
  };
}
