// `vexil/kubernetes`: the TypeScript API on a cluster. A separate entry point so that
// `import "vexil"` never loads @kubernetes/client-node; core must not depend on Kubernetes,
// so the Kubernetes backend lives here and plugs into FeatureFlagsInteraction's storage option.
// It shares kube/ (kubeconfig loading, pooled connections) with the operator and evaluator.
import type { KubeConfig } from "@kubernetes/client-node";
import { defaultActor, type AuditEntry } from "../core/facade/audit.ts";
import { VexilError } from "../core/facade/errors.ts";
// the "vexil" entry's class, which delivers webhooks (core's own has no delivery)
import { FeatureFlagsInteraction, type FeatureFlagsOptions } from "./interaction.ts";
import type { FlagStorage, ResourceOfKind, StoredResource } from "../core/facade/storage/storage.ts";
import { checkName } from "../core/facade/validation.ts";
import type { ResourceKind } from "../core/schema/index.ts";
import { describeError, statusCodeOf } from "../kube/errors.ts";
import { KubernetesFlagStorage } from "./kubernetes-storage.ts";

export { KubernetesFlagStorage, type KubernetesStorageOptions } from "./kubernetes-storage.ts";

export interface KubernetesFlagsOptions extends Omit<FeatureFlagsOptions, "storage" | "namespace"> {
  /** namespace the FeatureFlag, Segment and Experiment resources live in */
  namespace: string;
  /** a kubeconfig file or a loaded KubeConfig; default: $KUBECONFIG, in-cluster, then ~/.kube/config */
  kubeconfig?: string | KubeConfig;
  /** recorded in managedFields, and so in the operator's Events and audit log; default "vexil:<actor>" */
  fieldManager?: string;
}

/**
 * A FeatureFlagsInteraction whose changes are the custom resources in `namespace`: the operator
 * compiles them into snapshots like any `kubectl apply`. Evaluation through it compiles the same
 * resources in-process, so it answers as the evaluators will once the operator has caught up.
 */
export function createKubernetesFlags(options: KubernetesFlagsOptions): FeatureFlagsInteraction {
  const { kubeconfig, namespace, fieldManager, ...rest } = options;
  checkName("namespace", namespace);
  // the person is the Kubernetes user (the admission policy stamps it); the actor goes in the field manager
  const actor = rest.actor ?? defaultActor();
  const kubernetes = new KubernetesFlagStorage({ kubeconfig, namespace, fieldManager, actor });
  return new FeatureFlagsInteraction({
    ...rest,
    actor,
    storage: new ExplainedStorage(kubernetes, namespace),
    namespace,
  });
}

/**
 * The API's errors in the facade's terms: what admission refuses (422, e.g. a CEL rule) is an
 * INVALID_FLAG / INVALID_SEGMENT naming each field, anything else a STORAGE_ERROR with the API
 * server's one-line reason instead of client-node's response dump.
 */
class ExplainedStorage implements FlagStorage {
  private readonly inner: FlagStorage;
  private readonly namespace: string;

  constructor(inner: FlagStorage, namespace: string) {
    this.inner = inner;
    this.namespace = namespace;
  }

  list<K extends ResourceKind>(kind: K): Promise<ResourceOfKind<K>[]> {
    return this.explain(`cannot list ${kind}s in namespace ${this.namespace}`, () => this.inner.list(kind));
  }

  get<K extends ResourceKind>(kind: K, name: string): Promise<ResourceOfKind<K> | undefined> {
    return this.explain(`cannot read ${kind} "${name}" in namespace ${this.namespace}`, () =>
      this.inner.get(kind, name),
    );
  }

  async put(resource: StoredResource): Promise<void> {
    const what = `${resource.kind} "${resource.metadata.name}"`;
    try {
      await this.inner.put(resource);
    } catch (error) {
      const refused = admissionProblems(error);
      if (refused === undefined) throw storageError(`cannot write ${what} to namespace ${this.namespace}`, error);
      const code =
        resource.kind === "FeatureFlag"
          ? "INVALID_FLAG"
          : resource.kind === "Segment"
            ? "INVALID_SEGMENT"
            : "INVALID_ARGUMENT";
      const label = resource.kind === "FeatureFlag" ? "flag" : resource.kind.toLowerCase();
      throw new VexilError(
        code,
        `invalid ${label} "${resource.metadata.name}" (refused by the API server): ${refused}`,
        { cause: error },
      );
    }
  }

  delete(kind: ResourceKind, name: string): Promise<boolean> {
    return this.explain(`cannot delete ${kind} "${name}" in namespace ${this.namespace}`, () =>
      this.inner.delete(kind, name),
    );
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.inner.appendAudit(entry);
  }

  readAudit(): Promise<AuditEntry[]> {
    return this.explain(`cannot read the operator's Events in namespace ${this.namespace}`, () =>
      this.inner.readAudit(),
    );
  }

  private async explain<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw storageError(what, error);
    }
  }
}

function storageError(what: string, error: unknown): VexilError {
  return new VexilError("STORAGE_ERROR", `${what}: ${describeError(error)}`, { cause: error });
}

/** "field: message; ..." from a 422 Status, or undefined for any other failure. */
function admissionProblems(error: unknown): string | undefined {
  if (statusCodeOf(error) !== 422) return undefined;
  const body = (error as { body?: unknown }).body;
  try {
    const status = JSON.parse(String(body)) as {
      message?: string;
      details?: { causes?: { field?: string; message?: string }[] };
    };
    const causes = status.details?.causes ?? [];
    if (causes.length === 0) return status.message ?? describeError(error);
    return causes
      .map((cause) => (cause.field ? `${cause.field}: ${cause.message ?? "invalid"}` : (cause.message ?? "invalid")))
      .join("; ");
  } catch {
    return describeError(error);
  }
}
