// The admission policy's stamp as the operator and the TypeScript API read it, and the actor the
// API records when none is given.
import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { readStamp } from "../../../core/audit/stamp.ts";
import { defaultActor } from "../../../core/facade/audit.ts";

describe("readStamp", () => {
  const annotations = {
    "flags.vexil.dev/last-modified-by": "alice",
    "flags.vexil.dev/last-modified-at": "2026-11-29T10:00:00Z",
    "flags.vexil.dev/last-modified-generation": "4",
  };

  it("reads who, when and for which generation", () => {
    expect(readStamp(annotations, 4)).toEqual({ by: "alice", at: "2026-11-29T10:00:00Z", generation: 4 });
  });

  it("distrusts a stamp written for another generation (the spec changed while the policy was absent)", () => {
    expect(readStamp(annotations, 5)).toBeUndefined();
  });

  it("is undefined without annotations or without a user", () => {
    expect(readStamp(undefined, 1)).toBeUndefined();
    expect(readStamp({ "flags.vexil.dev/last-modified-at": "x" }, 1)).toBeUndefined();
  });
});

describe("defaultActor", () => {
  it("is the OS user running the process", () => {
    expect(defaultActor()).toBe(userInfo().username);
  });
});
