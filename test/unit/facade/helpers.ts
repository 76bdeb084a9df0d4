// Shared test helpers for the facade tests.
import { expect } from "vitest";
import { VexilError } from "../../../core/facade/index.ts";

/** The VexilError a promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<VexilError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VexilError);
    return error as VexilError;
  }
  throw new Error("expected the call to fail");
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.parse("2026-11-24T09:00:00Z")): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}
