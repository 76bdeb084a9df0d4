// `npm run test:e2e`: Vexil on a real node, without Docker. Builds (or reuses) the images with
// buildah, assembles a node - containerd + runc wrapper + CNI bridge, kubelet and kube-scheduler
// from the pinned Kubernetes module - joined to the test control plane (test/k8s/cluster.ts), installs
// charts/vexil with the local image and checks that it serves and survives (test/e2e/checks.ts).
// Needs root. Cleans up after itself, also after a failure; a run that crashed is cleaned up by the
// next one. Not part of `npm test`: see docs/testing.md.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatDuration } from "../k8s/build.ts";
import { repoRoot, startCluster, type Cluster } from "../k8s/cluster.ts";
import { ensureHelm } from "../k8s/helm.ts";
import { ensureNodeBinaries } from "../k8s/node.ts";
import { runChecks } from "./checks.ts";
import { ensurePauseImage, ensureVexilImage, importImages } from "./image.ts";
import { nodePaths, podNetwork, requireNodeTools, writeKubeletConfig, writeRuntimeConfig } from "./node-config.ts";
import {
  daemonLog,
  leftovers,
  readState,
  recordHost,
  routeServiceIp,
  saveState,
  startDaemon,
  teardownNode,
  type NodeState,
} from "./node.ts";
import { killCommands, log, run, step, timings, waitFor } from "./process.ts";
import { freePort, Kube } from "./kube.ts";

/** The node's address: its name too, so the API server reaches the kubelet without DNS. */
function nodeAddress(): string {
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    if (name === podNetwork.bridge) continue;
    const found = addresses?.find((address) => address.family === "IPv4" && !address.internal);
    if (found) return found.address;
  }
  throw new Error("e2e: no non-loopback IPv4 address for the node");
}

async function startContainerd(state: NodeState, containerd: string, ctr: string): Promise<void> {
  startDaemon(state, "containerd", containerd, ["--config", nodePaths.containerdConfig]);
  await waitFor("containerd to answer", 30_000, async () => {
    await run(ctr, ["--address", nodePaths.containerdSocket, "version"]);
    return true;
  });
}

async function startNode(state: NodeState, cluster: Cluster, kube: Kube, nodeIp: string): Promise<void> {
  const node = await step("kubelet and kube-scheduler from the pinned module", () => ensureNodeBinaries());
  const caFile = path.join(cluster.dataDir, "pki", "ca.crt");
  writeKubeletConfig({
    nodeIp,
    port: await freePort(),
    healthzPort: await freePort(),
    caFile,
  });
  startDaemon(state, "kubelet", node.kubelet, [
    `--config=${nodePaths.kubeletConfig}`,
    `--kubeconfig=${cluster.kubeconfig}`,
    `--root-dir=${nodePaths.kubeletRoot}`,
    `--hostname-override=${nodeIp}`,
    `--node-ip=${nodeIp}`,
    "--v=1",
  ]);
  startDaemon(state, "kube-scheduler", node.scheduler, [
    `--kubeconfig=${cluster.kubeconfig}`,
    `--authentication-kubeconfig=${cluster.kubeconfig}`,
    `--authorization-kubeconfig=${cluster.kubeconfig}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${await freePort()}`,
  ]);
  await step(`node ${nodeIp} Ready`, () =>
    waitFor(`node ${nodeIp} to be Ready (kubelet log: ${daemonLog("kubelet")})`, 180_000, async () => {
      const ready = await kube.kubectl([
        "get",
        "node",
        nodeIp,
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return ready.trim() === "True" ? true : undefined;
    }),
  );
}

/** Keeps the last run's logs (node daemons, pods, control plane) in .vexil/e2e-logs. */
function keepLogs(cluster: Cluster | undefined): string {
  const dest = path.join(repoRoot, ".vexil", "e2e-logs");
  fs.rmSync(dest, { recursive: true, force: true });
  const copy = (from: string, to: string): void => {
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dest, to), { recursive: true, dereference: true });
  };
  copy(nodePaths.logs, "node");
  copy("/var/log/pods", "pods");
  if (cluster) copy(path.join(cluster.dataDir, "logs"), "control-plane");
  return dest;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("e2e: needs root (containerd, kubelet, mounts, iptables)");
  const tools = requireNodeTools();
  const earlier = readState();
  if (earlier) {
    await step("cleaning up after an earlier run that did not finish", () => teardownNode(earlier, tools));
  }
  const helm = await step("helm from the pinned module", () => ensureHelm());
  // --node-only: assemble the node, wait until it is Ready, tear it down (debugging the node itself)
  const nodeOnly = process.argv.includes("--node-only");
  const image = nodeOnly ? "" : await step("Vexil's image from the Dockerfile (buildah)", () => ensureVexilImage());
  const pause = await step("the sandbox image", () => ensurePauseImage());

  const state = await recordHost();
  let cluster: Cluster | undefined;
  let failure: unknown;
  // Ctrl-C or a kill still tears the node down (a SIGKILL is cleaned up by the next run)
  const interrupt = (signal: NodeJS.Signals): void => {
    log(`${signal}: tearing down`);
    killCommands();
    void teardownNode(state, tools)
      .then(() => cluster?.stop())
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    const nodeIp = nodeAddress();
    writeRuntimeConfig(pause);
    await step("containerd", () => startContainerd(state, tools.containerd, tools.ctr));
    await step("importing the images into containerd", () =>
      importImages(nodeOnly ? [pause] : [image, pause], nodePaths.containerdSocket, nodePaths.logs),
    );
    cluster = await step("test control plane (etcd, kube-apiserver, kube-controller-manager)", () =>
      startCluster({ bindAddress: "0.0.0.0" }),
    );
    const kube = new Kube(cluster, helm);
    // the pods reach the API server at the `kubernetes` service's address, 10.0.0.1:443
    await routeServiceIp("10.0.0.1", `${nodeIp}:${cluster.ports.apiserver}`);
    saveState(state);
    await startNode(state, cluster, kube, nodeIp);
    if (!nodeOnly) await runChecks(kube, image);
  } catch (error) {
    failure = error;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    log(`logs kept in ${path.relative(process.cwd(), keepLogs(cluster))}`);
    await step("teardown: node, control plane, host settings", async () => {
      await teardownNode(state, tools);
      await cluster?.stop();
    });
  }
  const remaining = await leftovers(state);
  log("summary:");
  for (const { what, ms } of timings) log(`  ${formatDuration(ms).padStart(6)}  ${what}`);
  if (remaining.length > 0) log(`LEFT BEHIND: ${remaining.join("; ")}`);
  if (failure) throw failure;
  if (remaining.length > 0) throw new Error("e2e: the teardown left things behind (above)");
  log("e2e passed; nothing left behind");
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\ne2e FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
