// The one way Vexil finds cluster credentials, for the operator, the evaluator and the
// TypeScript API alike. The precedence is kubectl's, plus the in-cluster service account:
//   1. an explicit path (--kubeconfig PATH, or the `kubeconfig` option)
//   2. $KUBECONFIG (a list of files joined by the path delimiter, merged like kubectl does)
//   3. in-cluster: KUBERNETES_SERVICE_HOST and a mounted service account token
//   4. ~/.kube/config
// A path that is named but missing is an error, never a silent fall-through to the next step:
// that would talk to a different cluster than the one asked for.
import { KubeConfig } from "@kubernetes/client-node";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where client-node and every Kubernetes pod keep the mounted service account. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The one input that does not come from the process environment: a prefix for the fixed
 * service account paths, as client-node's loadFromCluster takes it (the token is read from
 * `${root}/var/run/secrets/kubernetes.io/serviceaccount/token`). Tests point it at a
 * temporary directory; everything else reads "" (the real paths).
 */
export interface KubeconfigEnvironment {
  root?: string;
}

export type KubeconfigSource = "explicit" | "KUBECONFIG" | "in-cluster" | "home";

/** Which precedence step applies, and the files it names (the service account dir in-cluster). */
export interface KubeconfigResolution {
  source: KubeconfigSource;
  files: string[];
}

/** The precedence step that applies, without reading any kubeconfig; throws when none does. */
export function resolveKubeconfig(explicit?: string, environment: KubeconfigEnvironment = {}): KubeconfigResolution {
  const env = process.env;
  if (explicit) return { source: "explicit", files: [mustExist(explicit, "--kubeconfig")] };
  const listed = (env.KUBECONFIG ?? "").split(path.delimiter).filter(Boolean);
  if (listed.length > 0) return { source: "KUBECONFIG", files: listed.map((file) => mustExist(file, "$KUBECONFIG")) };
  const serviceAccount = `${environment.root ?? ""}${SERVICE_ACCOUNT_DIR}`;
  const hasToken = fs.existsSync(path.join(serviceAccount, "token"));
  if (env.KUBERNETES_SERVICE_HOST && hasToken) return { source: "in-cluster", files: [serviceAccount] };
  const home = path.join(os.homedir(), ".kube", "config");
  if (fs.existsSync(home)) return { source: "home", files: [home] };
  const inCluster = env.KUBERNETES_SERVICE_HOST
    ? `KUBERNETES_SERVICE_HOST is set but ${serviceAccount}/token does not exist`
    : "KUBERNETES_SERVICE_HOST is not set";
  throw new Error(
    `no kubeconfig found: no --kubeconfig PATH (in TypeScript: the kubeconfig option), $KUBECONFIG is not set, ` +
      `not in a cluster (${inCluster}), and ${home} does not exist`,
  );
}

/**
 * The cluster credentials by the precedence above; a KubeConfig passed in is used as it is.
 * Every failure names the file and the step that chose it.
 */
export function loadKubeConfig(kubeconfig?: string | KubeConfig, environment: KubeconfigEnvironment = {}): KubeConfig {
  if (kubeconfig instanceof KubeConfig) return kubeconfig;
  const { source, files } = resolveKubeconfig(kubeconfig, environment);
  const config = new KubeConfig();
  if (source === "in-cluster") {
    config.loadFromCluster(environment.root ?? "");
    return config;
  }
  const [first, ...rest] = files as [string, ...string[]];
  loadFile(config, first, source);
  for (const file of rest) {
    const more = new KubeConfig();
    loadFile(more, file, source);
    addMissing(config, more);
  }
  if (!config.getCurrentCluster()) {
    throw new Error(`kubeconfig ${files.join(path.delimiter)} (${describeSource(source)}) has no current cluster`);
  }
  return config;
}

/** kubectl's merge: the first file that names a cluster, user, context or current context wins. */
function addMissing(config: KubeConfig, more: KubeConfig): void {
  for (const cluster of more.getClusters()) if (!config.getCluster(cluster.name)) config.addCluster(cluster);
  for (const user of more.getUsers()) if (!config.getUser(user.name)) config.addUser(user);
  for (const context of more.getContexts()) if (!config.getContextObject(context.name)) config.addContext(context);
  if (!config.getCurrentContext() && more.getCurrentContext()) config.setCurrentContext(more.getCurrentContext());
}

function loadFile(config: KubeConfig, file: string, source: KubeconfigSource): void {
  try {
    config.loadFromFile(file);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
    throw new Error(`kubeconfig ${file} (${describeSource(source)}) cannot be read: ${reason}`, { cause: error });
  }
}

function mustExist(file: string, namedBy: string): string {
  if (!fs.existsSync(file)) throw new Error(`kubeconfig ${file} (named by ${namedBy}) does not exist`);
  return file;
}

function describeSource(source: KubeconfigSource): string {
  return {
    explicit: "from --kubeconfig",
    KUBECONFIG: "from $KUBECONFIG",
    "in-cluster": "in-cluster",
    home: "the default",
  }[source];
}

/** The namespace the pod runs in: explicit, $POD_NAMESPACE, the service account's namespace file, or "default". */
export function podNamespace(explicit?: string, environment: KubeconfigEnvironment = {}): string {
  if (explicit) return explicit;
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    return fs.readFileSync(`${environment.root ?? ""}${SERVICE_ACCOUNT_DIR}/namespace`, "utf8").trim();
  } catch {
    return "default";
  }
}
