// Who made the latest spec change: the field manager of the newest managedFields entry for
// the main resource (status writes are recorded under the "status" subresource and skipped).
// kubectl apply shows as "kubectl-client-side-apply" or "kubectl", Argo CD as "argocd-controller",
// Flux as "kustomize-controller", the TypeScript API as "vexil".
interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  time?: Date | string;
}

export function latestFieldManager(managedFields: readonly ManagedFieldsEntry[] | undefined): string | undefined {
  let best: { manager: string; time: number } | undefined;
  for (const entry of managedFields ?? []) {
    if (!entry.manager || (entry.subresource && entry.subresource !== "")) continue;
    const time = entry.time === undefined ? 0 : new Date(entry.time).getTime();
    if (!best || time >= best.time) best = { manager: entry.manager, time };
  }
  return best?.manager;
}
