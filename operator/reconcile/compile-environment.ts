// Compile one namespace × environment, keeping broken resources from taking anything down:
// a resource whose current generation is invalid is left out, and if an earlier generation
// of it compiled cleanly in this environment, that last good version is served instead
// (the operator remembers last good specs in memory; after a restart it starts from what is
// valid). Everything else keeps being served as written.
import { compile } from "../../core/compile/compile.ts";
import type { GuardLookup } from "../../core/compile/guard.ts";
import type { AnyResource, ManifestProblem } from "../../core/manifest/load.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { CompileOutput } from "../../core/compile/compile.ts";
import { keyOf } from "../resources.ts";

export interface ParsedInput {
  key: string;
  kind: string;
  name: string;
  generation: number;
  /** the current generation, when it passed the schema */
  resource?: AnyResource;
  /** schema problems of the current generation */
  problems: ManifestProblem[];
}

export interface LastGood {
  generation: number;
  resource: AnyResource;
}

export interface EnvironmentCompilation {
  snapshot: Snapshot;
  rollouts: CompileOutput["rollouts"];
  /** problems of each resource's current generation, by resource key */
  problems: Map<string, ManifestProblem[]>;
  /** resources served from their last good generation, key → generation served */
  servingLastGood: Map<string, number>;
  /** resources not in the snapshot at all */
  excluded: Set<string>;
}

export function compileEnvironment(
  inputs: readonly ParsedInput[],
  lastGood: ReadonlyMap<string, LastGood>,
  options: { namespace: string; environment: string; now: Date; guards?: GuardLookup },
): EnvironmentCompilation {
  const problems = new Map<string, ManifestProblem[]>();
  const servingLastGood = new Map<string, number>();
  const chosen = new Map<string, AnyResource>();
  for (const input of inputs) {
    if (input.resource) chosen.set(input.key, input.resource);
    else {
      problems.set(input.key, [...input.problems]);
      const good = lastGood.get(input.key);
      if (good) {
        chosen.set(input.key, good.resource);
        servingLastGood.set(input.key, good.generation);
      }
    }
  }
  const first = compile([...chosen.values()], options);
  let output = first;
  // Second pass: resources the compiler excluded fall back to their last good generation.
  const fallbacks = new Set<string>();
  for (const { kind, name } of first.excluded) {
    const key = keyOf({ kind, metadata: { name } }, options.namespace);
    const good = lastGood.get(key);
    if (good && !servingLastGood.has(key) && chosen.get(key) !== good.resource) {
      chosen.set(key, good.resource);
      servingLastGood.set(key, good.generation);
      fallbacks.add(key);
    }
  }
  if (fallbacks.size > 0) {
    output = compile([...chosen.values()], options);
    // what is wrong with the current generation of the substituted resources comes from the first pass
    addProblems(problems, first.problems, options.namespace, (key) => fallbacks.has(key));
    addProblems(problems, output.problems, options.namespace, (key) => !fallbacks.has(key));
  } else {
    addProblems(problems, output.problems, options.namespace, () => true);
  }
  const excluded = new Set(
    output.excluded.map(({ kind, name }) => keyOf({ kind, metadata: { name } }, options.namespace)),
  );
  for (const key of excluded) servingLastGood.delete(key);
  return { snapshot: output.snapshot, rollouts: output.rollouts, problems, servingLastGood, excluded };
}

function addProblems(
  into: Map<string, ManifestProblem[]>,
  found: readonly ManifestProblem[],
  namespace: string,
  wanted: (key: string) => boolean,
): void {
  for (const problem of found) {
    if (!problem.kind || !problem.name) continue;
    const key = keyOf({ kind: problem.kind, metadata: { name: problem.name } }, problem.namespace ?? namespace);
    if (!wanted(key)) continue;
    const list = into.get(key) ?? [];
    list.push(problem);
    into.set(key, list);
  }
}

/** Resources whose current generation compiled into the snapshot: the new last good versions. */
export function goodVersions(inputs: readonly ParsedInput[], result: EnvironmentCompilation): Map<string, LastGood> {
  const good = new Map<string, LastGood>();
  for (const input of inputs) {
    if (!input.resource || result.excluded.has(input.key) || result.servingLastGood.has(input.key)) continue;
    if ((result.problems.get(input.key)?.length ?? 0) > 0) continue;
    good.set(input.key, { generation: input.generation, resource: input.resource });
  }
  return good;
}
