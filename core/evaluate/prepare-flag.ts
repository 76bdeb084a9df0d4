// Builds a PreparedFlag from one compiled flag, checking its shape on the way: a malformed
// flag throws an Error whose message names the field, reported by evaluation as PARSE_ERROR.
import { FLAG_TYPES, type FlagTypeName, type JsonValue } from "../schema/primitives.ts";
import { saltState } from "../hashing/bucket.ts";
import { TARGETING_KEY } from "./context.ts";
import { prepareMatcher } from "./segments.ts";
import { expectNumber, expectObject, expectString, optionalArray } from "./shape.ts";
import { optionalSplit, prepareSplit, VariantNames, type FlagParts } from "./variants.ts";
import type {
  FixedAnswer,
  Metadata,
  PreparedExperiment,
  PreparedFlag,
  PreparedRule,
  PreparedVariant,
} from "./prepared.ts";
import { Reason } from "./result.ts";
import { prepareRollout } from "./prepare-rollout.ts";

const VALUE_TYPES: Record<FlagTypeName, (value: unknown) => boolean> = {
  boolean: (value) => typeof value === "boolean",
  string: (value) => typeof value === "string",
  number: (value) => typeof value === "number" && Number.isFinite(value),
  json: (value) => value !== undefined,
};

function readVariants(raw: unknown, type: FlagTypeName): Map<string, PreparedVariant> {
  const variants = expectObject(raw, "variants");
  const declared = new Map<string, PreparedVariant>();
  for (const [name, value] of Object.entries(variants)) {
    if (!VALUE_TYPES[type](value)) throw new Error(`variant "${name}" has a value that is not of type ${type}`);
    declared.set(name, { name, value: value as JsonValue });
  }
  return declared;
}

function withEntry(metadata: Metadata | undefined, key: string, value: string): Metadata {
  return Object.freeze({ ...metadata, [key]: value });
}

function prepareRule(raw: unknown, i: number, flag: FlagParts): PreparedRule {
  const where = `rules[${i}]`;
  const rule = expectObject(raw, where);
  const name = rule.name === undefined ? "" : expectString(rule.name, `${where}.name`);
  const split = optionalSplit(rule.split, flag.splitSalt, flag.names, `${where}.split`);
  const variant = flag.names.optionalRef(rule.variant, `${where}.variant`);
  if ((split === undefined) === (variant === undefined))
    throw new Error(`${where} must serve exactly one of variant or split`);
  return {
    ...prepareMatcher(rule, where),
    name,
    variant,
    split,
    metadata: name === "" ? flag.metadata : withEntry(flag.metadata, "rule", name),
  };
}

function prepareExperiment(raw: unknown, flag: FlagParts): PreparedExperiment | undefined {
  if (raw === undefined) return undefined;
  const experiment = expectObject(raw, "experiment");
  const name = expectString(experiment.name, "experiment.name");
  const salt = expectString(experiment.salt, "experiment.salt");
  return {
    name,
    traffic: expectNumber(experiment.traffic, "experiment.traffic"),
    audience: prepareMatcher(experiment.audience, "experiment.audience"),
    split: prepareSplit(experiment.split, salt, flag.names, "experiment.split"),
    enrollmentSalt: saltState(`${salt}/traffic`),
    metadata: withEntry(flag.metadata, "experiment", name),
  };
}

function prepareTargets(raw: unknown, names: VariantNames): Map<string, PreparedVariant> {
  const targets = new Map<string, PreparedVariant>();
  if (raw === undefined) return targets;
  for (const [key, variant] of Object.entries(expectObject(raw, "targets"))) {
    targets.set(key, names.ref(variant, `targets[${JSON.stringify(key)}]`));
  }
  return targets;
}

function prepareMetadata(raw: unknown): Metadata | undefined {
  if (raw === undefined) return undefined;
  const metadata = expectObject(raw, "metadata");
  for (const value of Object.values(metadata)) {
    if (!["string", "number", "boolean"].includes(typeof value))
      throw new Error("metadata values must be strings, numbers or booleans");
  }
  return Object.freeze({ ...(metadata as Record<string, string | number | boolean>) });
}

/** The answer of a flag that is off, or has no prerequisite, target, rule, experiment, rollout or split. */
function fixedAnswer(flag: Omit<PreparedFlag, "fixed">): FixedAnswer | undefined {
  if (flag.killSwitch || !flag.enabled) return { variant: flag.offVariant, reason: Reason.DISABLED };
  const decides =
    flag.prerequisites.length > 0 ||
    flag.targets.size > 0 ||
    flag.rules.length > 0 ||
    flag.experiment !== undefined ||
    flag.rollout !== undefined ||
    flag.split !== undefined;
  if (decides) return undefined;
  return { variant: flag.defaultVariant, reason: flag.hasTargeting ? Reason.DEFAULT : Reason.STATIC };
}

export function prepareFlag(key: string, raw: unknown): PreparedFlag {
  const flag = expectObject(raw, "flag");
  const type = flag.type as FlagTypeName;
  if (!FLAG_TYPES.includes(type)) throw new Error(`type must be one of ${FLAG_TYPES.join(", ")}`);
  const names = new VariantNames(readVariants(flag.variants, type));
  const parts: FlagParts = {
    names,
    splitSalt: expectString(flag.splitSalt, "splitSalt"),
    metadata: prepareMetadata(flag.metadata),
  };
  const rollout = prepareRollout(flag.rollout, parts);
  const prepared = {
    key,
    type,
    variants: names.variants,
    defaultVariant: names.ref(flag.defaultVariant, "defaultVariant"),
    offVariant: names.ref(flag.offVariant, "offVariant"),
    enabled: flag.enabled !== false,
    killSwitch: flag.killSwitch === true,
    prerequisites: optionalArray(flag.prerequisites, "prerequisites").map((p, i) => {
      const prerequisite = expectObject(p, `prerequisites[${i}]`);
      const variants = optionalArray(prerequisite.variants, `prerequisites[${i}].variants`);
      return {
        flag: expectString(prerequisite.flag, `prerequisites[${i}].flag`),
        variants: new Set(variants as string[]),
      };
    }),
    targets: prepareTargets(flag.targets, names),
    rules: optionalArray(flag.rules, "rules").map((rule, i) => prepareRule(rule, i, parts)),
    rollout: rollout.rollout,
    experiment: prepareExperiment(flag.experiment, parts),
    split: optionalSplit(flag.split, parts.splitSalt, names, "split"),
    bucketBy: rollout.bucketBy ?? TARGETING_KEY,
    hasTargeting: flag.hasTargeting === true,
    metadata: parts.metadata,
  };
  return { ...prepared, fixed: fixedAnswer(prepared) };
}
