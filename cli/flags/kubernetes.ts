// `vexil flags … --kubernetes`: the FeatureFlag custom resources of one namespace. The kill
// switch is the merge patch an SRE would type (`kubectl patch featureflag X --type merge -p
// '{"spec":{"killSwitch":true}}'`), so it touches nothing else and races with no other writer.
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { API_GROUP, API_VERSION, type FeatureFlag } from "../../core/schema/index.ts";
import { didYouMean } from "../../core/names/suggest.ts";
import { makeClients } from "../../kube/client.ts";
import { describeError, isNotFound } from "../../kube/errors.ts";
import { loadKubeConfig } from "../../kube/kubeconfig.ts";
import { FlagNotFound, type KillSwitchChange } from "./directory.ts";

export interface ClusterTarget {
  namespace: string;
  kubeconfig?: string;
}

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

function client(target: ClusterTarget) {
  const custom = makeClients(loadKubeConfig(target.kubeconfig), "vexil-cli").custom;
  const where = { group: API_GROUP, version: API_VERSION, plural: "featureflags", namespace: target.namespace };
  return { custom, where };
}

export async function listClusterFlags(target: ClusterTarget): Promise<FeatureFlag[]> {
  const { custom, where } = client(target);
  try {
    const list = (await custom.listNamespacedCustomObject(where)) as { items: FeatureFlag[] };
    return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  } catch (error) {
    throw new Error(`cannot list FeatureFlags in namespace ${target.namespace}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

export async function setClusterKillSwitch(target: ClusterTarget, key: string, on: boolean): Promise<KillSwitchChange> {
  const { custom, where } = client(target);
  const body = { spec: { killSwitch: on } };
  try {
    await custom.patchNamespacedCustomObject({ ...where, name: key, body, fieldManager: "vexil-cli" }, mergePatch);
  } catch (error) {
    if (!isNotFound(error)) {
      throw new Error(`cannot patch FeatureFlag "${key}" in namespace ${target.namespace}: ${describeError(error)}`, {
        cause: error,
      });
    }
    const names = await listClusterFlags(target).then(
      (flags) => flags.map((f) => f.metadata.name),
      () => [] as string[],
    );
    throw new FlagNotFound(`flag "${key}" not found in namespace ${target.namespace}${didYouMean(key, names)}`);
  }
  return { key, killSwitch: on, changed: true, where: `namespace ${target.namespace}` };
}
