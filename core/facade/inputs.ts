// Shapes callers pass to FeatureFlagsInteraction, in the original API's vocabulary.
import type { TargetingFields } from "./flag-fields.ts";
import type { Variant, VariantOptions } from "./model.ts";
import type { FlagType } from "./vocabulary.ts";

export interface CreateFlagOptions extends TargetingFields {
  /** the flag key as you write it (`new_checkout` too); metadata.name is its DNS-1123 form */
  key: string;
  /** human-readable name, kept in the `flags.vexil.dev/display-name` annotation */
  name?: string;
  /** default boolean */
  flagType?: FlagType;
  /** default true */
  enabled?: boolean;
  description?: string;
  /** share of users (0-100) who get the default variant; the rest get the off variant */
  rolloutPercentage?: number;
  variants?: readonly (Variant | VariantOptions)[];
  defaultVariant?: string;
  offVariant?: string;
  tags?: readonly string[];
  owner?: string;
}

/** Fields to change; `null` removes an optional field, `undefined` leaves it alone. */
export interface FlagChanges extends TargetingFields {
  name?: string | null;
  flagType?: FlagType;
  enabled?: boolean;
  description?: string | null;
  rolloutPercentage?: number | null;
  variants?: readonly (Variant | VariantOptions)[];
  defaultVariant?: string | null;
  offVariant?: string | null;
  tags?: readonly string[] | null;
  owner?: string | null;
}

export type { EnvironmentOverride } from "./environment-override.ts";

export interface ListFlagsOptions {
  /** only flags carrying this tag */
  tag?: string;
}
