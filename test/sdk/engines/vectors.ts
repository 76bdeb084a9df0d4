// How many cases the shared vector files hold: each runner must report all of them as passed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS_DIR } from "./toolchains.ts";

export function vectorTotals(): { evaluation: number; bucketing: number } {
  const evaluation = JSON.parse(readFileSync(join(VECTORS_DIR, "evaluation.json"), "utf8")) as { cases: unknown[] };
  const bucketing = JSON.parse(readFileSync(join(VECTORS_DIR, "bucketing.json"), "utf8")) as Record<string, unknown[]>;
  return {
    evaluation: evaluation.cases.length,
    bucketing: bucketing.vectors!.length + bucketing.splits!.length + bucketing.rollouts!.length,
  };
}
