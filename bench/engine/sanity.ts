// Before anything is timed, each system must give the expected answers on every case, so no
// system is benchmarked doing the wrong (or no) work.
import { benchUsers, NON_MATCHING_USERS, ROLLOUT_PERCENTAGE, SPLIT_WEIGHTS, type CaseId } from "../cases.ts";
import type { Answer, BenchSystem } from "../systems/system.ts";

export interface SanityReport {
  ok: boolean;
  /** one line per case: what was observed */
  observed: Record<CaseId, string>;
  failures: string[];
}

/** Share tolerance in percentage points: about 3 standard deviations at 1000 users. */
const TOLERANCE = 4.5;

function shares(answers: readonly Answer[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(String(answer), (counts.get(String(answer)) ?? 0) + 1);
  for (const [key, count] of counts) counts.set(key, (100 * count) / answers.length);
  return counts;
}

function describe(percentages: Map<string, number>): string {
  return [...percentages]
    .sort()
    .map(([k, p]) => `${k} ${p.toFixed(1)}%`)
    .join(", ");
}

function expectShare(
  failures: string[],
  id: CaseId,
  percentages: Map<string, number>,
  value: string,
  expected: number,
) {
  const got = percentages.get(value) ?? 0;
  if (Math.abs(got - expected) > TOLERANCE)
    failures.push(`${id}: ${value} served to ${got.toFixed(1)}% of users, expected ~${expected}%`);
}

export function checkSystem(system: BenchSystem): SanityReport {
  const users = benchUsers();
  const contexts = system.contexts(users);
  const failures: string[] = [];
  const observed = {} as Record<CaseId, string>;
  const answersOf = (id: CaseId, list: readonly unknown[]) =>
    list.map((c) => system.cases[id].answer(system.cases[id].run(c)));
  for (const id of ["static", "rule", "rollout", "split"] as const) {
    const answers = answersOf(id, contexts);
    const again = answersOf(id, contexts);
    if (answers.some((a, i) => a !== again[i]))
      failures.push(`${id}: the same user got different answers on two calls`);
    const percentages = shares(answers);
    observed[id] = describe(percentages);
    if (id === "static" || id === "rule") expectShare(failures, id, percentages, "true", 100);
    if (id === "rollout") {
      expectShare(failures, id, percentages, "true", ROLLOUT_PERCENTAGE);
      expectShare(failures, id, percentages, "false", 100 - ROLLOUT_PERCENTAGE);
    }
    if (id === "split")
      for (const [v, w] of Object.entries(SPLIT_WEIGHTS)) expectShare(failures, id, percentages, v, w);
  }
  const outsiders = answersOf("rule", system.contexts(NON_MATCHING_USERS));
  if (outsiders.some((a) => a !== false))
    failures.push(`rule: users outside it were served ${JSON.stringify(outsiders)}, expected false`);
  else observed.rule += `; non-matching users false`;
  return { ok: failures.length === 0, observed, failures };
}
