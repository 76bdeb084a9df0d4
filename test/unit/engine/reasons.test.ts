// One test per reason and error code, following DESIGN.md's evaluation order.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../core/evaluate/evaluate.ts";
import { bucket } from "../../../core/hashing/bucket.ts";
import { booleanFlag, segment, snapshotOf, stringFlag } from "./fixtures.ts";

/** The first user ids (user-0, user-1, …) whose bucket under `salt` satisfies `test`. */
function usersWhere(salt: string, test: (b: number) => boolean, count = 1): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) if (test(bucket(salt, `user-${i}`))) found.push(`user-${i}`);
  return found;
}

describe("evaluation reasons", () => {
  it("serves defaultVariant with STATIC when the flag has no targeting", () => {
    expect(evaluate(snapshotOf(booleanFlag("f")), "f", {})).toEqual({
      key: "f",
      value: true,
      variant: "on",
      reason: "STATIC",
    });
  });

  it("serves defaultVariant with DEFAULT when the flag has targeting that did not decide", () => {
    const flag = stringFlag("f", { hasTargeting: true, targets: { "user-1": "b" } });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-2" })).toMatchObject({
      value: "A",
      variant: "a",
      reason: "DEFAULT",
    });
  });

  it("serves offVariant with DISABLED when the kill switch is on, whatever else the flag says", () => {
    const flag = stringFlag("f", { killSwitch: true, targets: { "user-1": "b" } });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-1" })).toMatchObject({
      value: "C",
      variant: "c",
      reason: "DISABLED",
    });
  });

  it("serves offVariant with DISABLED when the flag is disabled", () => {
    const flag = stringFlag("f", { enabled: false, targets: { "user-1": "b" } });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-1" })).toMatchObject({
      variant: "c",
      reason: "DISABLED",
    });
  });

  it("serves an individual target with TARGETING_MATCH before any rule", () => {
    const flag = stringFlag("f", {
      targets: { "user-1": "b" },
      rules: [{ name: "everyone", segments: [], conditions: [], variant: "c" }],
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-1" })).toMatchObject({
      value: "B",
      reason: "TARGETING_MATCH",
    });
  });

  it("serves the first matching rule's variant with TARGETING_MATCH and names the rule in metadata", () => {
    const flag = stringFlag("f", {
      hasTargeting: true,
      metadata: { team: "shop" },
      rules: [
        {
          name: "uk",
          segments: [],
          conditions: [{ attribute: "country", operator: "equals", values: ["UK"] }],
          variant: "b",
        },
        { name: "all", segments: [], conditions: [], variant: "c" },
      ],
    });
    const result = evaluate(snapshotOf(flag), "f", { country: "UK" });
    expect(result).toEqual({
      key: "f",
      value: "B",
      variant: "b",
      reason: "TARGETING_MATCH",
      metadata: { team: "shop", rule: "uk" },
    });
    expect(evaluate(snapshotOf(flag), "f", { country: "FR" })).toMatchObject({
      variant: "c",
      metadata: { rule: "all" },
    });
  });

  it("serves a matching rule's split with SPLIT", () => {
    const flag = stringFlag("f", {
      rules: [
        {
          name: "split",
          segments: [],
          conditions: [],
          split: [
            { variant: "a", weight: 1 },
            { variant: "b", weight: 1 },
          ],
        },
      ],
    });
    const [low] = usersWhere("f/split", (b) => b < 50_000);
    const [high] = usersWhere("f/split", (b) => b >= 50_000);
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: low })).toMatchObject({ variant: "a", reason: "SPLIT" });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: high })).toMatchObject({ variant: "b", reason: "SPLIT" });
  });

  it("puts users inside a percentage rollout on its variant with SPLIT and the rest on offVariant with DEFAULT", () => {
    const flag = stringFlag("f", {
      hasTargeting: true,
      rollout: {
        kind: "percentage",
        strategy: "percentage",
        percentage: 25,
        bucketBy: "targetingKey",
        salt: "f",
        variant: "b",
      },
    });
    const [inside] = usersWhere("f", (b) => b < 25_000);
    const [outside] = usersWhere("f", (b) => b >= 25_000);
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: inside })).toMatchObject({ variant: "b", reason: "SPLIT" });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: outside })).toMatchObject({
      variant: "c",
      reason: "DEFAULT",
    });
  });

  it("serves defaultVariant inside a percentage rollout that names no variant or split", () => {
    const flag = stringFlag("f", {
      rollout: { kind: "percentage", strategy: "gradual", percentage: 100, bucketBy: "targetingKey", salt: "f" },
    });
    expect(evaluate(snapshotOf(flag), "f", {})).toMatchObject({ variant: "a", reason: "SPLIT" });
  });

  it("buckets a rollout by its bucketBy attribute, falling back to the targetingKey", () => {
    const flag = stringFlag("f", {
      rollout: {
        kind: "percentage",
        strategy: "percentage",
        percentage: 50,
        bucketBy: "companyId",
        salt: "f",
        variant: "b",
      },
    });
    const [inside] = usersWhere("f", (b) => b < 50_000);
    const [outside] = usersWhere("f", (b) => b >= 50_000);
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: outside, companyId: inside })).toMatchObject({
      variant: "b",
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: inside })).toMatchObject({ variant: "b" });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: outside })).toMatchObject({
      variant: "c",
      reason: "DEFAULT",
    });
  });

  it("serves ring and targeted rollout members with TARGETING_MATCH and others offVariant with DEFAULT", () => {
    const beta = segment("beta", { included: ["user-1"] });
    const flag = stringFlag("f", {
      hasTargeting: true,
      rollout: {
        kind: "audience",
        strategy: "ring",
        matchers: [
          { segments: [beta], conditions: [] },
          { segments: [], conditions: [{ attribute: "team", operator: "equals", values: ["qa"] }] },
        ],
        variant: "b",
        salt: "f",
        bucketBy: "targetingKey",
      },
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-1" })).toMatchObject({
      variant: "b",
      reason: "TARGETING_MATCH",
    });
    expect(evaluate(snapshotOf(flag), "f", { team: "qa" })).toMatchObject({ variant: "b", reason: "TARGETING_MATCH" });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "user-2" })).toMatchObject({
      variant: "c",
      reason: "DEFAULT",
    });
  });

  it("splits weighted variants without rules with SPLIT", () => {
    const flag = stringFlag("f", {
      hasTargeting: true,
      split: [
        { variant: "b", weight: 1 },
        { variant: "c", weight: 0 },
      ],
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: "anyone" })).toMatchObject({
      variant: "b",
      reason: "SPLIT",
    });
  });

  it("assigns enrolled experiment users by the experiment's split and names it in metadata", () => {
    const flag = stringFlag("f", {
      hasTargeting: true,
      experiment: {
        name: "checkout-test",
        traffic: 100,
        audience: { segments: [], conditions: [{ attribute: "country", operator: "equals", values: ["UK"] }] },
        split: [
          { variant: "a", weight: 50 },
          { variant: "b", weight: 50 },
        ],
        control: "a",
        salt: "exp",
      },
    });
    const [user] = usersWhere("exp", (b) => b >= 50_000);
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: user, country: "UK" })).toEqual({
      key: "f",
      value: "B",
      variant: "b",
      reason: "SPLIT",
      metadata: { experiment: "checkout-test" },
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: user, country: "FR" })).toMatchObject({
      variant: "a",
      reason: "DEFAULT",
    });
  });

  it("enrolls only the experiment's traffic share, hashed apart from assignment", () => {
    const experiment = {
      name: "e",
      traffic: 30,
      audience: { segments: [], conditions: [] },
      split: [{ variant: "b", weight: 1 }],
      control: "b",
      salt: "exp",
    };
    const flag = stringFlag("f", { hasTargeting: true, experiment });
    const [enrolled] = usersWhere("exp/traffic", (b) => b < 30_000);
    const [notEnrolled] = usersWhere("exp/traffic", (b) => b >= 30_000);
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: enrolled })).toMatchObject({
      variant: "b",
      reason: "SPLIT",
    });
    expect(evaluate(snapshotOf(flag), "f", { targetingKey: notEnrolled })).toMatchObject({
      variant: "a",
      reason: "DEFAULT",
    });
    expect(evaluate(snapshotOf(flag), "f", {})).toMatchObject({ variant: "a", reason: "DEFAULT" });
  });
});

describe("prerequisites", () => {
  const parent = booleanFlag("parent", { hasTargeting: true, targets: { vip: "on" }, defaultVariant: "off" });

  it("serve offVariant with PREREQUISITE_FAILED when the prerequisite serves another variant", () => {
    const child = stringFlag("child", { prerequisites: [{ flag: "parent", variants: ["on"] }] });
    const snapshot = snapshotOf(parent, child);
    expect(evaluate(snapshot, "child", { targetingKey: "someone" })).toMatchObject({
      variant: "c",
      reason: "PREREQUISITE_FAILED",
    });
    expect(evaluate(snapshot, "child", { targetingKey: "vip" })).toMatchObject({ variant: "a", reason: "STATIC" });
  });

  it("count a missing prerequisite flag as unmet", () => {
    const child = stringFlag("child", { prerequisites: [{ flag: "gone", variants: ["on"] }] });
    expect(evaluate(snapshotOf(child), "child", {})).toMatchObject({ variant: "c", reason: "PREREQUISITE_FAILED" });
  });

  it("count a prerequisite that errors as unmet", () => {
    const needsKey = booleanFlag("needs-key", { split: [{ variant: "on", weight: 1 }] });
    const child = stringFlag("child", { prerequisites: [{ flag: "needs-key", variants: ["on"] }] });
    expect(evaluate(snapshotOf(needsKey, child), "child", {})).toMatchObject({ reason: "PREREQUISITE_FAILED" });
  });

  it("terminate on a prerequisite cycle that compile should have rejected", () => {
    const a = booleanFlag("a", { prerequisites: [{ flag: "b", variants: ["on"] }] });
    const b = booleanFlag("b", { prerequisites: [{ flag: "a", variants: ["on"] }] });
    expect(evaluate(snapshotOf(a, b), "a", {})).toMatchObject({ variant: "off", reason: "PREREQUISITE_FAILED" });
  });

  it("are evaluated in the same snapshot with the same context, through chains", () => {
    const grandchild = booleanFlag("grandchild", { prerequisites: [{ flag: "child", variants: ["on"] }] });
    const child = booleanFlag("child", { prerequisites: [{ flag: "parent", variants: ["on"] }] });
    expect(evaluate(snapshotOf(parent, child, grandchild), "grandchild", { targetingKey: "vip" })).toMatchObject({
      variant: "on",
    });
    expect(evaluate(snapshotOf(parent, child, grandchild), "grandchild", { targetingKey: "x" })).toMatchObject({
      variant: "off",
    });
  });
});
