import { describe, expect, it } from "vitest";
import { describeSpecChange, summarize } from "../../../operator/audit/change.ts";
import { latestFieldManager } from "../../../operator/audit/field-manager.ts";

describe("describeSpecChange", () => {
  it("calls a new resource Created", () => {
    expect(describeSpecChange(undefined, { enabled: true }).reason).toBe("Created");
  });

  it("names the kill switch direction and lists the field", () => {
    const on = describeSpecChange({ killSwitch: false, enabled: true }, { killSwitch: true, enabled: true });
    expect(on.reason).toBe("KillSwitchOn");
    expect(on.summary).toBe("spec.killSwitch: false → true");
    expect(describeSpecChange({ killSwitch: true }, { killSwitch: false }).reason).toBe("KillSwitchOff");
  });

  it("summarises other changes field by field", () => {
    const change = describeSpecChange(
      { rollout: { strategy: "percentage", percentage: 25 } },
      { rollout: { strategy: "percentage", percentage: 50 }, description: "x" },
    );
    expect(change.reason).toBe("Updated");
    expect(change.summary).toBe('spec.rollout.percentage: 25 → 50, spec.description: (unset) → "x"');
  });

  it("says when the previous spec is unknown", () => {
    expect(describeSpecChange(null, {}).summary).toMatch(/previous spec unknown/);
  });

  it("caps long summaries", () => {
    const changes = Array.from({ length: 12 }, (_, i) => ({ path: `spec.f${i}`, from: i, to: i + 1 }));
    expect(summarize(changes)).toMatch(/\(\+4 more\)$/);
  });
});

describe("latestFieldManager", () => {
  it("picks the newest manager of the main resource and ignores status writes", () => {
    expect(
      latestFieldManager([
        { manager: "kubectl-client-side-apply", operation: "Update", time: "2026-11-24T10:00:00Z" },
        { manager: "kubectl-patch", operation: "Update", time: "2026-11-24T11:00:00Z" },
        { manager: "vexil-operator", operation: "Update", subresource: "status", time: "2026-11-24T12:00:00Z" },
      ]),
    ).toBe("kubectl-patch");
    expect(latestFieldManager(undefined)).toBeUndefined();
  });
});
