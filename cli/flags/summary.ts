// One row per flag and environment for `vexil flags list`: what a person asks first about a
// flag (is it on, is it killed, who gets it), with environment overrides applied.
import type { FeatureFlag, FeatureFlagSpec } from "../../core/schema/index.ts";
import { DEFAULT_ENVIRONMENT } from "../flags-input.ts";

export interface FlagRow {
  key: string;
  type: string;
  environment: string;
  enabled: boolean;
  killSwitch: boolean;
  rollout: string;
}

type Rollout = NonNullable<FeatureFlagSpec["rollout"]>;

/** `percentage 25%`, `gradual 0% → 100%`, `ring beta`, `canary 5%`, `targeted premium-users`, `-` */
export function describeRollout(rollout: Rollout | undefined): string {
  if (rollout === undefined) return "-";
  switch (rollout.strategy) {
    case "percentage":
      return `percentage ${rollout.percentage ?? 0}%`;
    case "gradual":
      return `gradual ${rollout.from ?? 0}% → ${rollout.to ?? 100}%`;
    case "ring":
      return `ring ${rollout.currentRing ?? rollout.rings?.[0]?.name ?? "?"}`;
    case "canary":
      return `canary ${rollout.percentage ?? 0}%`;
    case "targeted":
      return `targeted ${(rollout.segments ?? []).join(", ")}`;
    default:
      return String((rollout as { strategy: unknown }).strategy);
  }
}

/** Rows for every environment the flag overrides, plus production. */
export function flagRows(flag: FeatureFlag): FlagRow[] {
  const spec = flag.spec;
  const environments = [...new Set([DEFAULT_ENVIRONMENT, ...Object.keys(spec.environments ?? {})])].sort();
  return environments.map((environment) => {
    const override = spec.environments?.[environment] ?? {};
    return {
      key: flag.metadata.name,
      type: spec.type,
      environment,
      enabled: override.enabled ?? spec.enabled ?? true,
      killSwitch: Boolean(spec.killSwitch) || Boolean(override.killSwitch),
      rollout: describeRollout(override.rollout ?? spec.rollout),
    };
  });
}

/** Columns padded to their widest cell. */
export function formatTable(rows: readonly FlagRow[]): string {
  const header = ["KEY", "TYPE", "ENVIRONMENT", "ENABLED", "KILL SWITCH", "ROLLOUT"];
  const cells = rows.map((r) => [
    r.key,
    r.type,
    r.environment,
    String(r.enabled),
    r.killSwitch ? "ON" : "off",
    r.rollout,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)].join("\n") + "\n";
}
