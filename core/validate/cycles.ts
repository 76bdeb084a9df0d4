// The prerequisite graph. A cycle (a → b → a) would make evaluation recurse forever, and a
// chain deeper than MAX_PREREQUISITE_DEPTH is refused rather than served `off`: both are
// problems here, so what validates evaluates. The walk is iterative (an explicit stack), so a
// chain of 5 000 flags gets an error, not a stack overflow.
import { ProblemCode, type ManifestProblem } from "../manifest/problem.ts";
import type { AnyResource } from "../manifest/resource.ts";
import type { FeatureFlag } from "../schema/index.ts";
import { MAX_PREREQUISITE_DEPTH } from "../limits.ts";
import { problemFor } from "./finding.ts";
import type { Scope } from "./scope.ts";

function dependencies(flag: FeatureFlag, scope: Scope): FeatureFlag[] {
  return (flag.spec.prerequisites ?? [])
    .filter((p) => p.flag !== flag.metadata.name) // self-dependency is reported by validateFlag
    .map((p) => scope.find("FeatureFlag", p.flag, flag))
    .filter((f): f is FeatureFlag => f !== undefined);
}

function prerequisitePath(from: FeatureFlag, to: FeatureFlag): string {
  const index = (from.spec.prerequisites ?? []).findIndex((p) => p.flag === to.metadata.name);
  return `spec.prerequisites[${index}].flag`;
}

/** Reported on the cycle's first flag, at its prerequisite on the next flag of the cycle. */
function cycleProblem(cycle: FeatureFlag[], names: string): ManifestProblem {
  const [first, second] = cycle as [FeatureFlag, FeatureFlag];
  const message = `prerequisite cycle: ${names}; remove one of these prerequisites`;
  return problemFor(first, { code: ProblemCode.PREREQUISITE_CYCLE, path: prerequisitePath(first, second), message });
}

interface Below {
  /** longest chain below a flag, in prerequisite edges */
  edges: number;
  /** the prerequisite that chain goes through, and the flag it ends at */
  via: FeatureFlag | undefined;
  bottom: FeatureFlag;
}

interface Frame {
  flag: FeatureFlag;
  next: FeatureFlag[];
  index: number;
}

export interface PrerequisiteGraph {
  problems: ManifestProblem[];
  /** flags on a cycle or at the top of a chain that is too deep */
  members: Set<AnyResource>;
}

/** Cycles and chains deeper than MAX_PREREQUISITE_DEPTH among the flags of `resources`. */
export function findCycles(resources: readonly AnyResource[], scope: Scope): PrerequisiteGraph {
  const state = new Map<FeatureFlag, "visiting" | "done">();
  const position = new Map<FeatureFlag, number>();
  const depth = new Map<FeatureFlag, Below>();
  const path: FeatureFlag[] = [];
  const problems: ManifestProblem[] = [];
  const members = new Set<AnyResource>();

  const enter = (flag: FeatureFlag, frames: Frame[]) => {
    state.set(flag, "visiting");
    position.set(flag, path.length);
    path.push(flag);
    frames.push({ flag, next: dependencies(flag, scope), index: 0 });
  };
  const leave = (frame: Frame) => {
    let deepest: Below = { edges: 0, via: undefined, bottom: frame.flag };
    for (const next of frame.next) {
      const below = depth.get(next); // undefined on a cycle: reported as a cycle instead
      if (below !== undefined && below.edges + 1 > deepest.edges)
        deepest = { edges: below.edges + 1, via: next, bottom: below.bottom };
    }
    depth.set(frame.flag, deepest);
    path.pop();
    state.set(frame.flag, "done");
  };

  for (const root of resources) {
    if (root.kind !== "FeatureFlag" || state.has(root)) continue;
    const frames: Frame[] = [];
    enter(root, frames);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const next = frame.next[frame.index++];
      if (next === undefined) {
        leave(frames.pop()!);
        continue;
      }
      const seen = state.get(next);
      if (seen === undefined) enter(next, frames);
      else if (seen === "visiting") {
        const cycle = path.slice(position.get(next));
        cycle.forEach((member) => members.add(member));
        problems.push(cycleProblem(cycle, [...cycle, next].map((f) => f.metadata.name).join(" → ")));
      }
    }
  }
  problems.push(...deepChainProblems(depth, members));
  return { problems, members };
}

/** `a → b → c → … → z`: the first flags of the chain and the one it ends at. */
function chainText(flag: FeatureFlag, depth: Map<FeatureFlag, Below>): string {
  const below = depth.get(flag)!;
  const names = [flag.metadata.name];
  for (let at = below.via; at !== undefined && names.length < 3; at = depth.get(at)?.via) names.push(at.metadata.name);
  if (below.edges >= names.length) names.push("…");
  return [...names, below.bottom.metadata.name].join(" → ");
}

function deepChainProblems(depth: Map<FeatureFlag, Below>, members: Set<AnyResource>): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const [flag, { edges, via }] of depth) {
    if (edges <= MAX_PREREQUISITE_DEPTH || via === undefined) continue;
    members.add(flag);
    const message =
      `prerequisite chain is ${edges} deep (${chainText(flag, depth)}), deeper than the limit of ` +
      `${MAX_PREREQUISITE_DEPTH}: shorten it (a flag may also list several prerequisites directly)`;
    problems.push(
      problemFor(flag, { code: ProblemCode.PREREQUISITE_TOO_DEEP, path: prerequisitePath(flag, via), message }),
    );
  }
  return problems;
}
