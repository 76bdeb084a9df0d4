// The per-environment override callers pass to setEnvironmentOverride: spec.environments.<env>
// as written, before the schema fills defaults. Its own file so the input shapes (inputs.ts)
// and the mapping to resources (mapping.ts) can both use it without importing each other.
import type { z } from "zod";
import type { environmentOverrideSchema } from "../schema/index.ts";

export type EnvironmentOverride = z.input<typeof environmentOverrideSchema>;
