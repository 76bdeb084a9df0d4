// The watches the operator keeps: FeatureFlags, Segments and Experiments, and the snapshot
// ConfigMaps it writes (label flags.vexil.dev/environment), cluster-wide or in the listed
// namespaces only.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { ENVIRONMENT_LABEL } from "../core/snapshot/configmap-format.ts";
import type { KubeClients } from "../kube/client.ts";
import { ListWatch, type ListPage, type WatchEventType } from "../kube/list-watch.ts";
import { GROUP, VERSION, VEXIL_KINDS } from "../kube/resources.ts";
import { compactLive, type LiveResource } from "./resources.ts";
import type { ResourceKind } from "../core/schema/index.ts";

export interface InformerHandlers {
  onResource: (type: WatchEventType, object: LiveResource, previous: LiveResource | undefined) => void;
  onConfigMap: (type: WatchEventType, object: V1ConfigMap, previous: V1ConfigMap | undefined) => void;
  onRestart: (resource: string, reason: string) => void;
  onSynced: () => void;
}

export interface Informers {
  resources: Map<ResourceKind, ListWatch<LiveResource>[]>;
  configMaps: ListWatch<V1ConfigMap>[];
  all: ListWatch<LiveResource | V1ConfigMap>[];
  hasSynced(): boolean;
  /** live resources of one kind in a namespace */
  list(kind: ResourceKind, namespace: string): LiveResource[];
  /** the cached resource as of now (a reconcile's own list may be older by the time it ends) */
  get(kind: ResourceKind, namespace: string, name: string): LiveResource | undefined;
  configMapsIn(namespace: string): V1ConfigMap[];
  /** namespaces holding any Vexil resource or snapshot ConfigMap */
  namespaces(): Set<string>;
}

const PAGE = 500;

export function createInformers(
  clients: KubeClients,
  namespaces: readonly string[] | undefined,
  handlers: InformerHandlers,
  backoff: { initialBackoffMs?: number; maxBackoffMs?: number } = {},
): Informers {
  const scopes: (string | undefined)[] = namespaces && namespaces.length > 0 ? [...namespaces] : [undefined];
  const resources = new Map<ResourceKind, ListWatch<LiveResource>[]>();
  for (const { kind, plural } of VEXIL_KINDS) {
    resources.set(
      kind,
      scopes.map((namespace) => resourceWatch(clients, kind, plural, namespace, handlers, backoff)),
    );
  }
  const configMaps = scopes.map((namespace) => configMapWatch(clients, namespace, handlers, backoff));
  const all = [...[...resources.values()].flat(), ...configMaps] as ListWatch<LiveResource | V1ConfigMap>[];
  const inScope = (namespace: string): number => (scopes[0] === undefined ? 0 : scopes.indexOf(namespace));
  return {
    resources,
    configMaps,
    all,
    hasSynced: () => all.every((watch) => watch.hasSynced),
    list: (kind, namespace) => {
      const index = inScope(namespace);
      return index < 0 ? [] : (resources.get(kind)?.[index]?.list(namespace) ?? []);
    },
    get: (kind, namespace, name) => {
      const index = inScope(namespace);
      return index < 0 ? undefined : resources.get(kind)?.[index]?.get(namespace, name);
    },
    configMapsIn: (namespace) => {
      const index = inScope(namespace);
      return index < 0 ? [] : (configMaps[index]?.list(namespace) ?? []);
    },
    namespaces: () => new Set(all.flatMap((watch) => watch.list().map((object) => object.metadata?.namespace ?? ""))),
  };
}

function resourceWatch(
  clients: KubeClients,
  kind: ResourceKind,
  plural: string,
  namespace: string | undefined,
  handlers: InformerHandlers,
  backoff: { initialBackoffMs?: number; maxBackoffMs?: number },
): ListWatch<LiveResource> {
  const base = `/apis/${GROUP}/${VERSION}`;
  return new ListWatch<LiveResource>({
    name: namespace ? `${plural} in ${namespace}` : plural,
    watch: clients.watch,
    path: namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`,
    list: async (continueToken) => {
      const common = { group: GROUP, version: VERSION, plural, limit: PAGE, _continue: continueToken };
      const page = namespace
        ? await clients.custom.listNamespacedCustomObject({ ...common, namespace })
        : await clients.custom.listClusterCustomObject(common);
      return page as ListPage<LiveResource>;
    },
    // list items and watch objects carry apiVersion and kind for custom objects, but be sure
    transform: (object) => compactLive(object, kind),
    onEvent: handlers.onResource,
    onRestart: (reason) => handlers.onRestart(plural, reason),
    onSynced: handlers.onSynced,
    ...backoff,
  });
}

function configMapWatch(
  clients: KubeClients,
  namespace: string | undefined,
  handlers: InformerHandlers,
  backoff: { initialBackoffMs?: number; maxBackoffMs?: number },
): ListWatch<V1ConfigMap> {
  return new ListWatch<V1ConfigMap>({
    name: namespace ? `snapshot configmaps in ${namespace}` : "snapshot configmaps",
    watch: clients.watch,
    path: namespace ? `/api/v1/namespaces/${namespace}/configmaps` : "/api/v1/configmaps",
    labelSelector: ENVIRONMENT_LABEL,
    list: async (continueToken) => {
      const common = { labelSelector: ENVIRONMENT_LABEL, limit: PAGE, _continue: continueToken };
      return namespace
        ? await clients.core.listNamespacedConfigMap({ ...common, namespace })
        : await clients.core.listConfigMapForAllNamespaces(common);
    },
    transform: compactConfigMap,
    onEvent: handlers.onConfigMap,
    onRestart: (reason) => handlers.onRestart("configmaps", reason),
    onSynced: handlers.onSynced,
    ...backoff,
  });
}

/** What reconciling reads of a snapshot ConfigMap: identity, our labels and annotations, the data. */
function compactConfigMap(configMap: V1ConfigMap): V1ConfigMap {
  const { name, namespace, resourceVersion, labels, annotations } = configMap.metadata ?? {};
  const compact: V1ConfigMap = { metadata: { name, namespace, resourceVersion, labels, annotations } };
  if (configMap.data) compact.data = configMap.data;
  if (configMap.binaryData) compact.binaryData = configMap.binaryData;
  return compact;
}
