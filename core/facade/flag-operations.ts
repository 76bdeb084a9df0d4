// Creating, changing and deleting flags: each operation computes the new resource with the
// pure helpers of mapping.ts / variants.ts, then goes through save() in shared.ts.
import type { FeatureFlag } from "../schema/index.ts";
import type { AuditAction } from "./audit.ts";
import { VexilError } from "./errors.ts";
import type { CreateFlagOptions, FlagChanges } from "./inputs.ts";
import { applyFlagChanges, flagFromOptions } from "./mapping.ts";
import { remove, requireFlag, save, type Shared } from "./shared.ts";
import { namedMetadata, writtenNameOf } from "../names/resource-name.ts";
import { TARGETING_FIELDS } from "./flag-fields.ts";
import { claimName } from "./names.ts";

const CREATE_FIELDS = new Set([
  "key",
  "name",
  "flagType",
  "enabled",
  "description",
  "rolloutPercentage",
  "variants",
  "defaultVariant",
  "offVariant",
  "tags",
  "owner",
  ...TARGETING_FIELDS,
]);

/** JavaScript callers get a clear error for a misspelt option instead of silence. */
function checkFields(what: string, options: object, allowed: Set<string>): void {
  for (const field of Object.keys(options)) {
    if (!allowed.has(field)) {
      throw new VexilError(
        "INVALID_ARGUMENT",
        `unknown ${what} option "${field}"; known options: ${[...allowed].join(", ")}`,
      );
    }
  }
}

export async function createFlag(shared: Shared, options: CreateFlagOptions): Promise<FeatureFlag> {
  if (options === null || typeof options !== "object") {
    throw new VexilError("INVALID_ARGUMENT", 'createFlag needs an options object, e.g. { key: "new-checkout" }');
  }
  checkFields("createFlag", options, CREATE_FIELDS);
  const { name, existing } = await claimName(shared, "FeatureFlag", options.key);
  if (existing !== undefined) {
    throw new VexilError("FLAG_EXISTS", `flag "${options.key}" already exists; use updateFlag to change it`);
  }
  const flag = flagFromOptions(options, shared.namespace);
  flag.metadata = namedMetadata(flag.metadata, options.key, name);
  const [saved] = await save(shared, [{ action: "created", before: undefined, after: flag }]);
  return saved as FeatureFlag;
}

export async function updateFlag(shared: Shared, key: string, changes: FlagChanges): Promise<FeatureFlag> {
  if (changes === null || typeof changes !== "object") {
    throw new VexilError("INVALID_ARGUMENT", "updateFlag needs an object of fields to change");
  }
  const { key: newKey, ...rest } = changes as FlagChanges & { key?: unknown };
  if (newKey !== undefined && newKey !== key) {
    throw new VexilError(
      "INVALID_ARGUMENT",
      `a flag key cannot change ("${key}" → ${JSON.stringify(newKey)}); create a new flag instead`,
    );
  }
  checkFields("updateFlag", rest, new Set([...CREATE_FIELDS].filter((f) => f !== "key")));
  const before = await requireFlag(shared, key);
  return changeFlag(shared, "updated", before, applyFlagChanges(before, rest));
}

/** Save a changed flag under an audit action; returns the stored flag. */
export async function changeFlag(
  shared: Shared,
  action: AuditAction,
  before: FeatureFlag,
  after: FeatureFlag,
): Promise<FeatureFlag> {
  const [saved] = await save(shared, [{ action, before, after }]);
  return saved as FeatureFlag;
}

/** Refuses while other flags list it as a prerequisite or an experiment runs on it. */
export async function deleteFlag(shared: Shared, key: string): Promise<void> {
  const flag = await requireFlag(shared, key);
  const name = flag.metadata.name;
  const resources = await shared.definitions.fresh();
  const users = resources.flatMap((r) => {
    if (r.kind === "FeatureFlag" && (r.spec.prerequisites ?? []).some((p) => p.flag === name))
      return [`flag "${writtenNameOf(r)}"`];
    if (r.kind === "Experiment" && r.spec.flag === name) return [`experiment "${writtenNameOf(r)}"`];
    return [];
  });
  if (users.length > 0) {
    throw new VexilError("FLAG_IN_USE", `flag "${key}" is used by ${users.join(", ")}; remove those references first`);
  }
  await remove(shared, flag);
}

export async function setKillSwitch(shared: Shared, key: string, on: boolean): Promise<FeatureFlag> {
  if (typeof on !== "boolean") throw new VexilError("INVALID_ARGUMENT", "setKillSwitch needs true or false");
  const before = await requireFlag(shared, key);
  const after = structuredClone(before);
  after.spec.killSwitch = on;
  return changeFlag(shared, on ? "killSwitchOn" : "killSwitchOff", before, after);
}
