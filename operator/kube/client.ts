// Kubernetes clients the operator uses, built from one KubeConfig: an explicit file,
// $KUBECONFIG, or the in-cluster service account.
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Watch,
} from '@kubernetes/client-node';
import * as fs from 'node:fs';

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  watch: Watch;
}

export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const config = new KubeConfig();
  const file = kubeconfig ?? process.env.KUBECONFIG;
  if (file) {
    if (!fs.existsSync(file)) throw new Error(`kubeconfig ${file} does not exist`);
    config.loadFromFile(file);
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    config.loadFromCluster();
  } else {
    throw new Error('no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run inside a cluster');
  }
  if (!config.getCurrentCluster()) throw new Error(`kubeconfig ${file ?? '(in-cluster)'} has no current cluster`);
  return config;
}

export function makeClients(config: KubeConfig): KubeClients {
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    coordination: config.makeApiClient(CoordinationV1Api),
    watch: new Watch(config),
  };
}

/** The namespace the operator runs in: --operator-namespace, the pod's service account, or default. */
export function operatorNamespace(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    return fs.readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim();
  } catch {
    return 'default';
  }
}
