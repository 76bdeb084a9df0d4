import { describe, expect, it } from "vitest";
import { compile } from "../../../core/compile/compile.ts";
import { at, experiment, flag, segment } from "./helpers.ts";

const options = (now: string, environment = "production") => ({ namespace: "shop", environment, now: at(now) });
const window = { start: "2026-12-01T00:00:00Z", stop: "2026-12-15T00:00:00Z" };

describe("compile: experiments", () => {
  it("attaches a running experiment to its flag with audience inlined and its own salt", () => {
    const resources = [
      flag("f"),
      segment("beta", { included: ["u1"] }),
      experiment("exp", { flag: "f", traffic: 40, audience: { segments: ["beta"] }, ...window }),
    ];
    const compiled = compile(resources, options("2026-12-05T00:00:00Z")).snapshot.flags.f;
    expect(compiled?.experiment).toEqual({
      name: "exp",
      traffic: 40,
      audience: {
        segments: [{ name: "beta", key: "targetingKey", included: ["u1"], excluded: [], match: "all", conditions: [] }],
        conditions: [],
      },
      split: [
        { variant: "on", weight: 50 },
        { variant: "off", weight: 50 },
      ],
      control: "off",
      salt: "exp/experiment",
    });
    expect(compiled?.hasTargeting).toBe(true);
  });

  it.each([
    ["before start", "2026-11-30T23:59:59Z", false, "2026-12-01T00:00:00.000Z"],
    ["at start", "2026-12-01T00:00:00Z", true, "2026-12-15T00:00:00.000Z"],
    ["at stop", "2026-12-15T00:00:00Z", false, undefined],
  ])("%s the experiment is attached: %s → %s", (_label, now, attached, next) => {
    const { snapshot } = compile([flag("f"), experiment("exp", { flag: "f", ...window })], options(now));
    expect(snapshot.flags.f?.experiment !== undefined).toBe(attached);
    expect(snapshot.flags.f?.hasTargeting).toBe(attached);
    expect(snapshot.nextChangeAt).toBe(next);
  });

  it("runs an experiment without start or stop from the moment it exists", () => {
    const { snapshot } = compile([flag("f"), experiment("exp", { flag: "f" })], options("2026-12-05T00:00:00Z"));
    expect(snapshot.flags.f?.experiment?.name).toBe("exp");
    expect(snapshot.nextChangeAt).toBeUndefined();
  });

  it("attaches only in the experiment's environment", () => {
    const resources = [flag("f"), experiment("exp", { flag: "f", environment: "staging" })];
    expect(compile(resources, options("2026-12-05T00:00:00Z")).snapshot.flags.f?.experiment).toBeUndefined();
    expect(compile(resources, options("2026-12-05T00:00:00Z", "staging")).snapshot.flags.f?.experiment?.name).toBe(
      "exp",
    );
  });

  it("runs one experiment per flag and reports the others", () => {
    const out = compile(
      [flag("f"), experiment("b-test", { flag: "f" }), experiment("a-test", { flag: "f" })],
      options("2026-12-05T00:00:00Z"),
    );
    expect(out.snapshot.flags.f?.experiment?.name).toBe("a-test");
    expect(out.excluded).toEqual([{ kind: "Experiment", name: "b-test" }]);
    expect(out.problems.map((p) => [p.name, p.code])).toEqual([["b-test", "EXPERIMENT_CONFLICT"]]);
  });

  it("leaves out an experiment whose flag is invalid, and the flag", () => {
    const out = compile(
      [flag("f", { defaultVariant: "x" }), experiment("exp", { flag: "f" })],
      options("2026-12-05T00:00:00Z"),
    );
    expect(out.snapshot.flags).toEqual({});
    expect(out.excluded).toEqual([
      { kind: "Experiment", name: "exp" },
      { kind: "FeatureFlag", name: "f" },
    ]);
  });
});
