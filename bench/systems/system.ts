// What the engine benchmark needs from each system: its contexts built once (outside the timed
// loop, in the system's own shape), and per case the natural per-request call plus a reader
// that turns the call's result into the served value for the sanity check.
import { readFileSync } from "node:fs";
import type { BenchUser, CaseId } from "../cases.ts";

export type Answer = boolean | string | undefined;

export interface SystemCase {
  /** one evaluation, exactly as an application would call it */
  run: (context: unknown) => unknown;
  /** the served value inside the result of `run` */
  answer: (result: unknown) => Answer;
}

export interface BenchSystem {
  name: string;
  version: string;
  /** how each case is called, for the report (e.g. "resolveBooleanEvaluation") */
  api: string;
  contexts: (users: readonly BenchUser[]) => unknown[];
  cases: Record<CaseId, SystemCase>;
  close?: () => void;
}

/** Version of an installed npm package, read from its package.json. */
export function packageVersion(name: string): string {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}
