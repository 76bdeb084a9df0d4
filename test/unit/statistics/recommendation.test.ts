import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { describe, expect, it } from "vitest";
import { conversionMoments } from "../../../core/statistics/moments.ts";
import { usersForEffect } from "../../../core/statistics/sample-size.ts";
import { analyzeExperiment } from "../../../core/statistics/index.ts";
import { conversion, exposures, spec } from "./helpers.ts";

function analyze(rows: ReturnType<typeof conversion>[], options = {}, overrides = {}) {
  return analyzeExperiment(
    spec(overrides),
    { exposuresByVariant: exposures(rows), metrics: { purchase: rows } },
    options,
  );
}

describe("recommendation", () => {
  it("says a pending experiment has not started, whatever the data", () => {
    const rows = [conversion("control", 20000, 2000), conversion("treatment", 20000, 2600)];
    expect(analyze(rows, { phase: "Pending" }).recommendation).toEqual({
      action: "NotEnoughData",
      metric: "purchase",
      message: "The experiment has not started yet.",
    });
  });

  it("names the variant short of minimumSamples", () => {
    const rows = [conversion("control", 2000, 200), conversion("treatment", 2000, 149)];
    expect(analyze(rows).recommendation.message).toBe(
      "Variant treatment has 149 of the 150 conversions on purchase needed before results can be trusted; keep collecting.",
    );
  });

  it("states the users still needed in the field and in the sentence", () => {
    const rows = [conversion("control", 10000, 1000), conversion("treatment", 10050, 1150)];
    const { recommendation } = analyze(rows);
    expect(recommendation.action).toBe("KeepRunning");
    expect(recommendation.minimumDetectableEffect).toBe(0.05);
    expect(recommendation.usersNeeded).toBeGreaterThan(0);
    expect(recommendation.message).toContain(`about ${recommendation.usersNeeded} more users`);
    const wider = analyze(rows, { minimumDetectableEffect: 0.1 }).recommendation;
    expect(wider.usersNeeded).toBeLessThan(recommendation.usersNeeded!);
  });

  it("says the users needed cannot be estimated when the control has no variance", () => {
    const rows = [conversion("control", 300, 300), conversion("treatment", 300, 299)];
    const { recommendation } = analyze(rows, {}, { minimumSamples: 0 });
    expect(recommendation.action).toBe("KeepRunning");
    expect(recommendation.usersNeeded).toBeUndefined();
    expect(recommendation.message).toContain("cannot be estimated");
  });

  it("calls a concluded, underpowered experiment NoDifference and says a smaller effect may have been missed", () => {
    const rows = [conversion("control", 3000, 300), conversion("treatment", 3000, 310)];
    const { recommendation } = analyze(rows, { phase: "Concluded" });
    expect(recommendation.action).toBe("NoDifference");
    expect(recommendation.message).toMatch(/It had 6000 of the \d+ users needed to detect a 5\.0% lift/);
  });

  it("decides on fixed-horizon p-values once concluded and on always-valid ones while running", () => {
    const rows = [conversion("control", 10000, 1000), conversion("treatment", 10050, 1150)];
    const running = analyze(rows);
    const concluded = analyze(rows, { phase: "Concluded" });
    const [r, c] = [running.results.purchase![1]!, concluded.results.purchase![1]!];
    expect(r.adjustedPValue).toBe(r.sequentialPValue);
    expect(c.adjustedPValue).toBe(c.pValue);
    expect(running.recommendation.action).toBe("KeepRunning");
    expect(concluded.recommendation).toMatchObject({ action: "ShipVariant", variant: "treatment" });
    expect(concluded.recommendation.message).toMatch(
      /^Ship treatment: it beats control on purchase by \+14\.4%, 95% interval/,
    );
  });

  it("ships the winner most likely to beat the control when several are significant", () => {
    const three = {
      variants: [
        { variant: "control", weight: 1 },
        { variant: "a", weight: 1 },
        { variant: "b", weight: 1 },
      ],
    };
    const rows = [conversion("control", 40000, 4000), conversion("a", 40000, 4700), conversion("b", 40000, 5000)];
    const analysis = analyze(rows, {}, three);
    expect(analysis.results.purchase!.slice(1).every((r) => r.significant)).toBe(true);
    expect(analysis.recommendation).toMatchObject({ action: "ShipVariant", variant: "b" });
    expect(analysis.leadingVariant).toMatchObject({ variant: "b", metric: "purchase" });
  });

  it("ignores treatments with weight 0 when deciding", () => {
    const withOff = {
      variants: [
        { variant: "control", weight: 1 },
        { variant: "treatment", weight: 1 },
        { variant: "off", weight: 0 },
      ],
    };
    const rows = [conversion("control", 20000, 2000), conversion("treatment", 20000, 2600)];
    expect(analyze(rows, {}, withOff).recommendation).toMatchObject({ action: "ShipVariant", variant: "treatment" });
  });
});

describe("users needed for a minimum detectable effect", () => {
  const control = conversionMoments(10000, 1000);
  const input = { type: "conversion" as const, goal: "increase" as const, control, controlShare: 0.5, mde: 0.1 };

  it("is the smallest fixed-horizon sample with 80% power", () => {
    const n = usersForEffect({ ...input, treatmentShares: [0.5], sequential: false })!;
    // power at N total users: Φ(MDE/se(N) − z_{0.975}), se² from the delta method at r_v = 0.11
    const power = (total: number) => {
      const se = Math.sqrt((0.11 * 0.89) / (0.5 * total * 0.01) + (0.0121 * 0.09) / (0.5 * total * 0.0001));
      return normalCdf(0.1 / se - 1.959963984540054, 0, 1);
    };
    expect(power(n)).toBeGreaterThanOrEqual(0.8);
    expect(power(n - 1)).toBeLessThan(0.8);
  });

  it("asks more users of the always-valid rule and of more treatments", () => {
    const fixed = usersForEffect({ ...input, treatmentShares: [0.5], sequential: false })!;
    const sequential = usersForEffect({ ...input, treatmentShares: [0.5], sequential: true })!;
    expect(sequential).toBeGreaterThan(fixed);
    const three = usersForEffect({ ...input, controlShare: 1 / 3, treatmentShares: [1 / 3, 1 / 3], sequential: true })!;
    expect(three).toBeGreaterThan(sequential);
  });
});
