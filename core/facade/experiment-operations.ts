// Experiments through the TypeScript API: create, update, delete (get and list are on the
// interaction), in the Experiment resource's own YAML shape. Names are taken as written; the
// flag and audience segments are referred to by the names the user gave them.
import { namedMetadata } from "../names/resource-name.ts";
import type { z } from "zod";
import {
  API_GROUP_VERSION,
  type ExperimentResource,
  type ExperimentSpec,
  type experimentSpecSchema,
} from "../schema/index.ts";
import { VexilError } from "./errors.ts";
import { claimName, requireNamed, storedName } from "./names.ts";
import { remove, save, type Shared } from "./shared.ts";

/** What createExperiment takes: the Experiment's spec (YAML shape) plus its name. */
export interface ExperimentOptions extends Omit<Partial<ExperimentSpec>, "flag" | "variants" | "control" | "metrics"> {
  name: string;
  flag: string;
  variants: ExperimentSpec["variants"];
  control: string;
  /** `{ name, event, type?: "conversion" | "numeric", goal?: "increase" | "decrease" }` */
  metrics: z.input<typeof experimentSpecSchema>["metrics"];
}

function toExperimentResource(shared: Shared, written: string, name: string, spec: Partial<ExperimentSpec>) {
  const next = structuredClone(spec) as ExperimentSpec;
  if (spec.flag !== undefined) next.flag = storedName("FeatureFlag", spec.flag);
  if (spec.audience?.segments !== undefined)
    next.audience = { segments: spec.audience.segments.map((s) => storedName("Segment", s)) };
  const metadata = namedMetadata(
    shared.namespace === undefined ? { name } : { name, namespace: shared.namespace },
    written,
    name,
  );
  return { apiVersion: API_GROUP_VERSION, kind: "Experiment", metadata, spec: next } as ExperimentResource;
}

export async function createExperiment(shared: Shared, options: ExperimentOptions): Promise<ExperimentResource> {
  if (options === null || typeof options !== "object") {
    throw new VexilError(
      "INVALID_ARGUMENT",
      "createExperiment needs an options object (name, flag, variants, control, metrics)",
    );
  }
  const { name: written, ...spec } = options;
  const { name, existing } = await claimName(shared, "Experiment", written);
  if (existing !== undefined) {
    throw new VexilError("EXPERIMENT_EXISTS", `experiment "${written}" already exists; use updateExperiment`);
  }
  // the schema fills in the metrics' defaults when save() parses the resource
  const after = toExperimentResource(shared, written, name, spec as Partial<ExperimentSpec>);
  const [saved] = await save(shared, [{ action: "created", before: undefined, after }]);
  return saved as ExperimentResource;
}

/** Spec fields to change, in the YAML's shape; `null` removes an optional one. */
export type ExperimentChanges = { [K in keyof ExperimentSpec]?: ExperimentSpec[K] | null };

/** Changes the given spec fields; fields not mentioned are kept. */
export async function updateExperiment(
  shared: Shared,
  written: string,
  changes: ExperimentChanges,
): Promise<ExperimentResource> {
  const before = await requireNamed(shared, "Experiment", written);
  const spec: Record<string, unknown> = { ...before.spec };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete spec[field];
    else if (value !== undefined) spec[field] = value;
  }
  const after = toExperimentResource(shared, written, before.metadata.name, spec as Partial<ExperimentSpec>);
  const [saved] = await save(shared, [{ action: "updated", before, after }]);
  return saved as ExperimentResource;
}

export async function deleteExperiment(shared: Shared, written: string): Promise<void> {
  await remove(shared, await requireNamed(shared, "Experiment", written));
}
