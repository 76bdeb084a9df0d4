// Hand-built compiled snapshots for tests of the storage format (no compile step involved).
import type { CompiledFlag, Snapshot } from "../../../core/snapshot.ts";
import { snapshotHash } from "../../../evaluator/sources/canonical-json.ts";

export function booleanFlag(key: string, extra: Partial<CompiledFlag> = {}): CompiledFlag {
  return {
    key,
    type: "boolean",
    variants: { on: true, off: false },
    defaultVariant: "on",
    offVariant: "off",
    enabled: true,
    killSwitch: false,
    prerequisites: [],
    targets: {},
    rules: [],
    splitSalt: `${key}:split`,
    hasTargeting: false,
    ...extra,
  };
}

export function snapshotOf(flags: CompiledFlag[], environment = "production", namespace = "shop"): Snapshot {
  const body = {
    schemaVersion: 1 as const,
    namespace,
    environment,
    flags: Object.fromEntries(flags.map((f) => [f.key, f])),
  };
  return { ...body, hash: snapshotHash(body) };
}
