// Who last changed a resource's spec, as the API server stamped it: the MutatingAdmissionPolicy
// generated into crds/admission (scripts/generate/audit-policy.ts) writes these annotations on
// every create and every update that changes the spec, from the authenticated request
// (`request.userInfo.username`), so neither kubectl nor Argo CD nor the TypeScript API can name
// someone else. An update that leaves the spec alone stamps nothing (an unchanged re-apply stays a
// no-op), unless it touches the annotations themselves, which are then stamped again.

export const LAST_MODIFIED_BY_ANNOTATION = "flags.vexil.dev/last-modified-by";
/** RFC 3339, second resolution: the API server's time for this write (its managedFields entry) */
export const LAST_MODIFIED_AT_ANNOTATION = "flags.vexil.dev/last-modified-at";
/** the tool: the request's field manager (kubectl, kubectl-patch, argocd-controller, vexil:alice) */
export const LAST_MODIFIED_VIA_ANNOTATION = "flags.vexil.dev/last-modified-via";
/** the metadata.generation the write produced: a stamp older than the spec is not trusted */
export const LAST_MODIFIED_GENERATION_ANNOTATION = "flags.vexil.dev/last-modified-generation";

export const STAMP_ANNOTATIONS = [
  LAST_MODIFIED_BY_ANNOTATION,
  LAST_MODIFIED_AT_ANNOTATION,
  LAST_MODIFIED_VIA_ANNOTATION,
  LAST_MODIFIED_GENERATION_ANNOTATION,
] as const;

export interface ModifiedStamp {
  /** the Kubernetes user name, e.g. "alice" or "system:serviceaccount:argocd:argocd-application-controller" */
  by: string;
  at?: string;
  /** the field manager the request named, when it named one */
  via?: string;
  generation?: number;
}

/** The stamp in `annotations`, or undefined when there is none or it names an older generation. */
export function readStamp(
  annotations: Readonly<Record<string, string>> | undefined,
  generation: number | undefined,
): ModifiedStamp | undefined {
  const by = annotations?.[LAST_MODIFIED_BY_ANNOTATION];
  if (!by) return undefined;
  const stamp: ModifiedStamp = { by };
  const at = annotations[LAST_MODIFIED_AT_ANNOTATION];
  if (at) stamp.at = at;
  const via = annotations[LAST_MODIFIED_VIA_ANNOTATION];
  if (via) stamp.via = via;
  const stamped = Number(annotations[LAST_MODIFIED_GENERATION_ANNOTATION]);
  if (Number.isInteger(stamped)) {
    // written for another generation: the spec changed while the policy was not installed
    if (generation !== undefined && stamped !== generation) return undefined;
    stamp.generation = stamped;
  }
  return stamp;
}
