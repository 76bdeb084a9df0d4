// Where Vexil's custom resources live in the Kubernetes API: group, version and the plural
// each kind is served under. The operator watches these paths and the TypeScript API writes them.
import { API_GROUP, API_VERSION, type ResourceKind } from "../core/schema/index.ts";

export const VEXIL_KINDS: readonly { kind: ResourceKind; plural: string }[] = [
  { kind: "FeatureFlag", plural: "featureflags" },
  { kind: "Segment", plural: "segments" },
  { kind: "Experiment", plural: "experiments" },
];

export function pluralOf(kind: ResourceKind): string {
  const found = VEXIL_KINDS.find((entry) => entry.kind === kind);
  if (!found) throw new Error(`unknown kind ${kind}`);
  return found.plural;
}

export const GROUP = API_GROUP;
export const VERSION = API_VERSION;
