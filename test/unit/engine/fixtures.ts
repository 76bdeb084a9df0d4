// Hand-built compiled flags and snapshots for engine tests. Compile owns turning resources
// into this shape; these helpers only fill the fields a test does not care about.
import type { Condition } from "../../../core/schema/index.ts";
import type { CompiledFlag, CompiledSegment, Snapshot } from "../../../core/snapshot/snapshot.ts";

/** A boolean flag with on/off variants, serving "on" by default and no targeting. */
export function booleanFlag(key: string, overrides: Partial<CompiledFlag> = {}): CompiledFlag {
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
    splitSalt: `${key}/split`,
    hasTargeting: false,
    ...overrides,
  };
}

/** A string flag with variants a, b and c (values "A", "B", "C"), default a, off c. */
export function stringFlag(key: string, overrides: Partial<CompiledFlag> = {}): CompiledFlag {
  return booleanFlag(key, {
    type: "string",
    variants: { a: "A", b: "B", c: "C" },
    defaultVariant: "a",
    offVariant: "c",
    ...overrides,
  });
}

export function snapshotOf(...flags: CompiledFlag[]): Snapshot {
  return {
    schemaVersion: 1,
    namespace: "test",
    environment: "production",
    hash: "0".repeat(64),
    flags: Object.fromEntries(flags.map((flag) => [flag.key, flag])),
  };
}

export function segment(name: string, overrides: Partial<CompiledSegment> = {}): CompiledSegment {
  return { name, key: "targetingKey", included: [], excluded: [], match: "all", conditions: [], ...overrides };
}

/** A flag whose only rule is `condition`, serving "on" when it holds and "off" otherwise. */
export function conditionFlag(condition: Condition): Snapshot {
  return snapshotOf(
    booleanFlag("gate", {
      defaultVariant: "off",
      hasTargeting: true,
      rules: [{ name: "r", segments: [], conditions: [condition], variant: "on" }],
    }),
  );
}
