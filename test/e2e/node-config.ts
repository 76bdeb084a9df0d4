// The configuration files of the end-to-end test's node: containerd (its own root, state, socket and
// runc root, so nothing is shared with a containerd the host might run), the runc wrapper, the CNI
// bridge and the kubelet. Each gotcha of this kind of machine is explained where it is handled
// (see ../shared/REFERENCE.md's "A real node without Docker").
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Everything the node writes lives under these two directories (removed by the teardown). */
export const nodeDirs = { lib: "/var/lib/vexil-e2e", run: "/run/vexil-e2e" };

export const nodePaths = {
  containerdConfig: path.join(nodeDirs.lib, "containerd.toml"),
  containerdRoot: path.join(nodeDirs.lib, "containerd"),
  containerdState: path.join(nodeDirs.run, "containerd"),
  containerdSocket: path.join(nodeDirs.run, "containerd.sock"),
  runcRoot: path.join(nodeDirs.run, "runc"),
  runcWrapper: path.join(nodeDirs.lib, "runc-wrapper"),
  cniConfDir: path.join(nodeDirs.lib, "cni"),
  cniIpamDir: path.join(nodeDirs.lib, "cni-ipam"),
  kubeletRoot: path.join(nodeDirs.lib, "kubelet"),
  kubeletConfig: path.join(nodeDirs.lib, "kubelet.yaml"),
  logs: path.join(nodeDirs.lib, "logs"),
  state: path.join(nodeDirs.run, "state.json"),
};

/** The pod network: a Linux bridge with host-local addresses (no overlay, one node). */
export const podNetwork = { name: "vexil-e2e", bridge: "vexil-e2e0", subnet: "10.244.0.0/24" };

function which(command: string): string {
  const result = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  const found = result.stdout.trim();
  if (result.status !== 0 || !found) {
    throw new Error(`e2e node: \`${command}\` was not found on PATH (apt-get install containerd runc)`);
  }
  return found;
}

function containerdToml(sandboxImage: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${nodePaths.containerdRoot}"
state = "${nodePaths.containerdState}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = "${nodePaths.containerdSocket}"
[ttrpc]
  address = "${nodePaths.containerdSocket}.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${path.join(nodeDirs.lib, "opt")}"

[${cri}]
  sandbox_image = "${sandboxImage}"
  enable_selinux = false
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "${nodePaths.runcWrapper}"
        Root = "${nodePaths.runcRoot}"
        SystemdCgroup = false
  [${cri}.cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${nodePaths.cniConfDir}"
`;
}

// Without CAP_SYS_RESOURCE a process may not lower its oom_score_adj below its parent's, and the
// kubelet asks for -998 on every sandbox: runc's `nsexec: failed to update
// /proc/self/oom_score_adj: Permission denied` fails every pod. The wrapper clamps a negative
// oomScoreAdj to 0 in the bundle's config.json (create/run) and in an exec's process file.
function runcWrapperScript(runc: string): string {
  return `#!/bin/sh
# Written by test/e2e/node-config.ts: clamps a negative oomScoreAdj to 0, then runs runc.
clamp() { [ -f "$1" ] && sed -i -E 's/"oomScoreAdj":-[0-9]+/"oomScoreAdj":0/' "$1"; }
prev=""
for arg in "$@"; do
  case "$prev" in
    --bundle|-b) clamp "$arg/config.json" ;;
    --process|-p) clamp "$arg" ;;
  esac
  case "$arg" in
    --bundle=*) clamp "\${arg#--bundle=}/config.json" ;;
    --process=*) clamp "\${arg#--process=}" ;;
  esac
  prev="$arg"
done
exec ${runc} "$@"
`;
}

function cniConflist(): string {
  return `${JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: podNetwork.name,
      plugins: [
        {
          type: "bridge",
          bridge: podNetwork.bridge,
          isGateway: true,
          ipMasq: false, // pods talk to this host only: no NAT rules to leave behind
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: podNetwork.subnet }]],
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: nodePaths.cniIpamDir,
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

export interface KubeletSettings {
  nodeIp: string;
  port: number;
  healthzPort: number;
  caFile: string;
}

// failCgroupV1/cgroupDriver: the host has cgroup v1 (hybrid) and no systemd. Eviction thresholds
// and image GC are off: a shared disk's usage must not evict the test's pods. No cluster DNS: the
// pods reach the API server by its service IP and the test reaches them by pod IP.
function kubeletYaml(settings: KubeletSettings): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://${nodePaths.containerdSocket}
address: ${settings.nodeIp}
port: ${settings.port}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: ${settings.healthzPort}
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: ${settings.caFile}
authorization:
  mode: Webhook
resolvConf: /etc/resolv.conf
evictionHard:
  memory.available: "1Mi"
  nodefs.available: "0%"
  nodefs.inodesFree: "0%"
  imagefs.available: "0%"
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
registerNode: true
`;
}

/** Writes containerd's configuration, the runc wrapper and the CNI network. */
export function writeRuntimeConfig(sandboxImage: string): void {
  for (const dir of [nodeDirs.lib, nodeDirs.run, nodePaths.cniConfDir, nodePaths.logs]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(nodePaths.containerdConfig, containerdToml(sandboxImage));
  fs.writeFileSync(nodePaths.runcWrapper, runcWrapperScript(which("runc")), { mode: 0o755 });
  fs.writeFileSync(path.join(nodePaths.cniConfDir, "10-vexil-e2e.conflist"), cniConflist());
}

export function writeKubeletConfig(kubelet: KubeletSettings): void {
  fs.writeFileSync(nodePaths.kubeletConfig, kubeletYaml(kubelet));
}

export function requireNodeTools(): { containerd: string; ctr: string } {
  for (const tool of ["runc", "iptables", "ip", "buildah", "mount", "umount"]) which(tool);
  if (!fs.existsSync("/usr/lib/cni/bridge") || !fs.existsSync("/usr/lib/cni/host-local")) {
    throw new Error("e2e node: the CNI plugins are missing (apt-get install containernetworking-plugins)");
  }
  return { containerd: which("containerd"), ctr: which("ctr") };
}
