// The TypeScript API's Kubernetes backend: FeatureFlagsInteraction reads and writes the
// custom resources in one namespace, and the operator turns them into snapshots like any
// other change. The audit trail is the operator's: appendAudit records nothing here (the
// operator posts an Event and writes its audit log for every change, whoever made it). Who: the
// admission policy stamps the Kubernetes user on each resource (flags.vexil.dev/last-modified-by),
// and the field manager "vexil:<actor>" names this API and the actor it was given. readAudit reads
// the operator's Events back (they expire after about an hour) and, for resources whose Events have
// expired, the last change from their stamp, which lasts as long as the resource.
import { CoreV1Api, CustomObjectsApi, type CoreV1Event, type KubeConfig } from "@kubernetes/client-node";
import type { AuditAction, AuditEntry } from "../core/facade/audit.ts";
import { byName, type FlagStorage, type ResourceOfKind, type StoredResource } from "../core/facade/storage/storage.ts";
import { readStamp } from "../core/audit/stamp.ts";
import { RESOURCE_KINDS, type ResourceKind } from "../core/schema/index.ts";
import { makePooledApiClient, PooledAuthentication } from "../kube/client.ts";
import { isConflict, isNotFound } from "../kube/errors.ts";
import { loadKubeConfig } from "../kube/kubeconfig.ts";
import { GROUP, VERSION, pluralOf } from "../kube/resources.ts";

export interface KubernetesStorageOptions {
  /** a kubeconfig file or a loaded KubeConfig; default: $KUBECONFIG, in-cluster, then ~/.kube/config */
  kubeconfig?: string | KubeConfig;
  /** @deprecated the earlier spelling of `kubeconfig`, still accepted */
  kubeConfig?: KubeConfig;
  namespace: string;
  /** recorded in managedFields, and so in the operator's Events and audit log. Default "vexil:<actor>", or "vexil". */
  fieldManager?: string;
  /** the person the field manager names (the API's `actor` option) */
  actor?: string;
}

/** Field manager names are at most 128 printable characters. */
export function fieldManagerFor(actor: string | undefined): string {
  if (!actor) return "vexil";
  const printable = actor.replace(/[^\p{L}\p{N}\p{P}\p{S} ]/gu, "?");
  return `vexil:${printable}`.slice(0, 128);
}

const ACTIONS: Record<string, AuditAction> = {
  Created: "created",
  Updated: "updated",
  Deleted: "deleted",
  KillSwitchOn: "killSwitchOn",
  KillSwitchOff: "killSwitchOff",
};

export class KubernetesFlagStorage implements FlagStorage {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly namespace: string;
  private readonly fieldManager: string;

  constructor(options: KubernetesStorageOptions) {
    // one connection pool for both APIs (client-node would open a connection per call)
    const config = loadKubeConfig(options.kubeconfig ?? options.kubeConfig);
    const auth = new PooledAuthentication(config);
    this.custom = makePooledApiClient(config, auth, CustomObjectsApi, "vexil");
    this.core = makePooledApiClient(config, auth, CoreV1Api, "vexil");
    this.namespace = options.namespace;
    this.fieldManager = options.fieldManager ?? fieldManagerFor(options.actor);
  }

  async list<K extends ResourceKind>(kind: K): Promise<ResourceOfKind<K>[]> {
    const items: StoredResource[] = [];
    let continueToken: string | undefined;
    do {
      const page = (await this.custom.listNamespacedCustomObject({
        ...this.target(kind),
        limit: 500,
        _continue: continueToken,
      })) as {
        items: StoredResource[];
        metadata?: { continue?: string };
      };
      items.push(...page.items.map((item) => ({ ...item, kind }) as StoredResource));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items.sort(byName) as ResourceOfKind<K>[];
  }

  async get<K extends ResourceKind>(kind: K, name: string): Promise<ResourceOfKind<K> | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...this.target(kind), name })) as ResourceOfKind<K>;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Create or replace; a concurrent writer's change is re-read and overwritten (last write wins, as with kubectl replace). */
  async put(resource: StoredResource): Promise<void> {
    const { kind } = resource;
    const name = resource.metadata.name;
    for (let attempt = 0; ; attempt++) {
      const existing = await this.get(kind, name);
      const body = {
        apiVersion: resource.apiVersion,
        kind,
        metadata: {
          ...resource.metadata,
          namespace: this.namespace,
          ...(existing?.metadata.resourceVersion ? { resourceVersion: existing.metadata.resourceVersion } : {}),
        },
        spec: resource.spec,
      };
      try {
        if (existing)
          await this.custom.replaceNamespacedCustomObject({
            ...this.target(kind),
            name,
            body,
            fieldManager: this.fieldManager,
          });
        else
          await this.custom.createNamespacedCustomObject({
            ...this.target(kind),
            body,
            fieldManager: this.fieldManager,
          });
        return;
      } catch (error) {
        if (attempt >= 3 || !isConflict(error)) throw error;
      }
    }
  }

  async delete(kind: ResourceKind, name: string): Promise<boolean> {
    try {
      await this.custom.deleteNamespacedCustomObject({ ...this.target(kind), name });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The operator records every change as an Event and audit-log line; nothing to add here. */
  async appendAudit(_entry: AuditEntry): Promise<void> {}

  /**
   * The operator's Events about Vexil resources in this namespace, and for each resource without
   * one (Events expire after about an hour) its last change as the admission policy stamped it;
   * oldest first.
   */
  async readAudit(): Promise<AuditEntry[]> {
    const list = await this.core.listNamespacedEvent({ namespace: this.namespace });
    // Event times have one-second resolution; the operator posts Events in order, so the
    // resourceVersion (an etcd revision) breaks ties.
    const revision = (event: CoreV1Event): number => Number(event.metadata.resourceVersion) || 0;
    const fromEvents = list.items
      .filter((event) => event.involvedObject.apiVersion?.startsWith(`${GROUP}/`) && ACTIONS[event.reason ?? ""])
      .map((event) => ({ entry: toAuditEntry(event, this.namespace), revision: revision(event) }));
    const covered = new Set(fromEvents.map(({ entry }) => `${entry.resource.kind}/${entry.resource.name}`));
    const fromStamps = (await Promise.all(RESOURCE_KINDS.map((kind) => this.list(kind))))
      .flat()
      .filter((resource) => !covered.has(`${resource.kind}/${resource.metadata.name}`))
      .flatMap((resource) => stampEntry(resource, this.namespace) ?? [])
      .map((entry) => ({ entry, revision: 0 }));
    return [...fromEvents, ...fromStamps]
      .sort((a, b) => (a.entry.time < b.entry.time ? -1 : a.entry.time > b.entry.time ? 1 : a.revision - b.revision))
      .map(({ entry }) => entry);
  }

  private target(kind: ResourceKind): { group: string; version: string; plural: string; namespace: string } {
    if (!(RESOURCE_KINDS as readonly string[]).includes(kind))
      throw new Error(`unknown kind ${kind}; use ${RESOURCE_KINDS.join(", ")}`);
    return { group: GROUP, version: VERSION, plural: pluralOf(kind), namespace: this.namespace };
  }
}

/** The last change of a resource whose Events have expired, from the admission policy's stamp. */
function stampEntry(resource: StoredResource, namespace: string): AuditEntry | undefined {
  const { annotations, generation } = resource.metadata as {
    annotations?: Record<string, string>;
    generation?: number;
  };
  const stamp = readStamp(annotations, generation);
  if (!stamp?.at) return undefined;
  return {
    time: new Date(stamp.at).toISOString(),
    actor: stamp.by,
    action: generation === 1 ? "created" : "updated",
    resource: { kind: resource.kind, name: resource.metadata.name, namespace },
    changes: [],
  };
}

/** The person the operator's Event names ("(by alice via kubectl)"), else the tool ("(via vexil)"). */
export function eventActor(message: string): string {
  const match = /\((?:by ([^()]+?))?(?: ?via ([^()]+?))?\)$/.exec(message);
  return match?.[1] ?? match?.[2] ?? "unknown";
}

function toAuditEntry(event: CoreV1Event, namespace: string): AuditEntry {
  const message = event.message ?? "";
  const actor = eventActor(message);
  const time = event.lastTimestamp ?? event.firstTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
  return {
    time: time ? new Date(time).toISOString() : new Date(0).toISOString(),
    actor,
    action: ACTIONS[event.reason ?? ""] ?? "updated",
    resource: { kind: event.involvedObject.kind as ResourceKind, name: event.involvedObject.name ?? "", namespace },
    changes: [],
  };
}
