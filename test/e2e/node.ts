// The end-to-end test's node: containerd (with the runc wrapper and the CNI bridge), a kubelet and
// kube-scheduler joined to the test control plane, and a DNAT rule standing in for the one rule of
// kube-proxy the pods need (the `kubernetes` service IP -> the API server). Everything it changes
// on the host is recorded in a state file first, so that the teardown - also run at the start of
// the next run after a crash - removes it and restores the kernel settings the kubelet changes.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeDirs, nodePaths, podNetwork } from "./node-config.ts";
import { log, run, sleep } from "./process.ts";

/** The kernel settings the kubelet (and the CNI bridge) change at start. */
const sysctls = [
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
  "net/ipv4/ip_forward",
];
/** Host directories that containerd, the kubelet and libcni create outside ours. */
const sharedDirs = ["/run/containerd", "/var/lib/cni", "/var/log/pods", "/var/log/containers", "/run/netns"];
const natChain = "VEXIL-E2E";

export interface NodeState {
  sysctls: Record<string, string>;
  /** Which of sharedDirs existed before the run (the teardown removes the others). */
  existed: Record<string, boolean>;
  netnsBefore: string[];
  /** The kubelet's iptables chains (KUBE-*) that existed before, as "iptables nat KUBE-X". */
  chainsBefore: string[];
  pids: Record<string, number>;
}

function readNetns(): string[] {
  try {
    return fs.readdirSync("/run/netns");
  } catch {
    return [];
  }
}

const families = ["iptables", "ip6tables"];
const tables = ["filter", "nat", "mangle"];

/** The KUBE-* chains the kubelet creates (canary, firewall, hint) in every table of both families. */
async function kubeChains(): Promise<string[]> {
  const found: string[] = [];
  for (const family of families) {
    for (const table of tables) {
      for (const line of (await quiet(family, ["-t", table, "-S"])).split("\n")) {
        const chain = /^-N (KUBE-\S+)$/.exec(line)?.[1];
        if (chain) found.push(`${family} ${table} ${chain}`);
      }
    }
  }
  return found;
}

/** Deletes the KUBE-* chains that were not there before, and the rules jumping to them. */
async function removeKubeChains(before: string[]): Promise<void> {
  const added = (await kubeChains()).filter((chain) => !before.includes(chain));
  for (const entry of added) {
    const [family, table, chain] = entry.split(" ") as [string, string, string];
    for (const line of (await quiet(family, ["-t", table, "-S"])).split("\n")) {
      if (line.startsWith("-A ") && line.endsWith(`-j ${chain}`)) {
        // through sh: the rule's text quotes its comment
        await quiet("sh", ["-c", `${family} -t ${table} -D ${line.slice(3)}`]);
      }
    }
    await quiet(family, ["-t", table, "-F", chain]);
  }
  for (const entry of added) {
    const [family, table, chain] = entry.split(" ") as [string, string, string];
    await quiet(family, ["-t", table, "-X", chain]);
  }
}

export async function recordHost(): Promise<NodeState> {
  const state: NodeState = {
    sysctls: {},
    existed: {},
    netnsBefore: readNetns(),
    chainsBefore: await kubeChains(),
    pids: {},
  };
  for (const name of sysctls) {
    try {
      state.sysctls[name] = fs.readFileSync(`/proc/sys/${name}`, "utf8").trim();
    } catch {
      // absent on this kernel: nothing to restore
    }
  }
  for (const dir of sharedDirs) state.existed[dir] = fs.existsSync(dir);
  saveState(state);
  return state;
}

export function saveState(state: NodeState): void {
  fs.mkdirSync(nodeDirs.run, { recursive: true });
  fs.writeFileSync(nodePaths.state, `${JSON.stringify(state, null, 2)}\n`);
}

export function readState(): NodeState | undefined {
  try {
    return JSON.parse(fs.readFileSync(nodePaths.state, "utf8")) as NodeState;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; only if the pid still runs `binary` (no pid reuse accident). */
export async function stopPid(pid: number | undefined, binary: string, graceMs = 10_000): Promise<void> {
  if (!pid || !alive(pid)) return;
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(binary)) return;
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(pid, "SIGKILL");
  while (alive(pid)) await sleep(50);
}

/** Starts a node daemon with its output in logs/<name>.log; records its pid in the state file. */
export function startDaemon(state: NodeState, name: string, binary: string, args: string[]): number {
  const logFile = path.join(nodePaths.logs, `${name}.log`);
  const out = fs.openSync(logFile, "a");
  const child = spawn(binary, args, { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`e2e node: could not start ${name} (${binary})`);
  child.on("error", () => undefined);
  state.pids[name] = child.pid;
  saveState(state);
  return child.pid;
}

export function daemonLog(name: string): string {
  return path.join(nodePaths.logs, `${name}.log`);
}

/** Sends the `kubernetes` service's IP (port 443) to the API server, as kube-proxy would. */
export async function routeServiceIp(serviceIp: string, target: string): Promise<void> {
  await run("iptables", ["-t", "nat", "-N", natChain]);
  await run("iptables", [
    "-t",
    "nat",
    "-A",
    natChain,
    "-d",
    `${serviceIp}/32`,
    "-p",
    "tcp",
    "--dport",
    "443",
    "-j",
    "DNAT",
    "--to-destination",
    target,
  ]);
  await run("iptables", ["-t", "nat", "-I", "PREROUTING", "-j", natChain]);
}

async function quiet(command: string, args: string[]): Promise<string> {
  return run(command, args).catch(() => "");
}

/** Every process in the kubelet's pod cgroups (a fallback when containerd could not stop them). */
function podProcesses(): number[] {
  const pids: number[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name === "cgroup.procs") {
        const text = fs.readFileSync(path.join(dir, entry.name), "utf8");
        pids.push(...text.split("\n").filter(Boolean).map(Number));
      }
    }
  };
  walk("/sys/fs/cgroup/pids/kubepods");
  return pids;
}

function removeCgroups(): void {
  const remove = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) remove(path.join(dir, entry.name));
    try {
      fs.rmdirSync(dir);
    } catch {
      // still busy or already gone: reported by the leftover check
    }
  };
  for (const controller of fs.readdirSync("/sys/fs/cgroup"))
    remove(path.join("/sys/fs/cgroup", controller, "kubepods"));
}

async function stopContainers(ctr: string): Promise<void> {
  const address = ["--address", nodePaths.containerdSocket, "-n", "k8s.io"];
  const tasks = (await quiet(ctr, [...address, "tasks", "ls", "-q"])).split("\n").filter(Boolean);
  for (const id of tasks) await quiet(ctr, [...address, "tasks", "kill", "-a", "-s", "SIGKILL", id]);
  for (const id of tasks) await quiet(ctr, [...address, "tasks", "delete", "-f", id]);
  const containers = (await quiet(ctr, [...address, "containers", "ls", "-q"])).split("\n").filter(Boolean);
  for (const id of containers) await quiet(ctr, [...address, "containers", "delete", id]);
}

/** Shims started by our containerd: found by its socket in their command line. */
function ourShims(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmdline.startsWith("/usr/bin/containerd-shim") && cmdline.includes(nodePaths.containerdSocket);
      } catch {
        return false;
      }
    });
}

function ourMounts(netnsBefore: string[]): string[] {
  const points = fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((point) => {
      if (point.startsWith(`${nodeDirs.lib}/`) || point.startsWith(`${nodeDirs.run}/`)) return true;
      const netns = /^\/run\/netns\/(cni-[\w-]+)$/.exec(point);
      return netns !== null && !netnsBefore.includes(netns[1] ?? "");
    });
  return [...new Set(points)].sort((a, b) => b.length - a.length); // deepest first
}

/** Stops everything the node started and undoes its changes to the host. Safe to run twice. */
export async function teardownNode(state: NodeState, binaries: { ctr: string; containerd: string }): Promise<void> {
  await stopPid(state.pids.kubelet, "kubelet");
  await stopPid(state.pids["kube-scheduler"], "kube-scheduler");
  if (state.pids.containerd && alive(state.pids.containerd)) await stopContainers(binaries.ctr);
  for (const pid of podProcesses()) process.kill(pid, "SIGKILL");
  await stopPid(state.pids.containerd, "containerd");
  for (const pid of ourShims()) await stopPid(pid, "containerd-shim", 3000);
  for (const point of ourMounts(state.netnsBefore)) await quiet("umount", ["-l", point]);
  for (const name of readNetns()) {
    if (name.startsWith("cni-") && !state.netnsBefore.includes(name)) fs.rmSync(`/run/netns/${name}`, { force: true });
  }
  await quiet("ip", ["link", "delete", podNetwork.bridge]);
  if ((await quiet("iptables", ["-t", "nat", "-S", "PREROUTING"])).includes(natChain)) {
    await quiet("iptables", ["-t", "nat", "-D", "PREROUTING", "-j", natChain]);
  }
  await quiet("iptables", ["-t", "nat", "-F", natChain]);
  await quiet("iptables", ["-t", "nat", "-X", natChain]);
  await removeKubeChains(state.chainsBefore ?? []);
  removeCgroups();
  for (const dir of sharedDirs) {
    if (!state.existed[dir]) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (state.existed["/var/lib/cni"]) {
    for (const name of ["results", "cache"]) {
      const dir = path.join("/var/lib/cni", name);
      for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
        if (entry.startsWith(podNetwork.name)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      }
    }
  }
  for (const [name, value] of Object.entries(state.sysctls)) {
    try {
      fs.writeFileSync(`/proc/sys/${name}`, value);
    } catch (error) {
      log(`could not restore ${name.replaceAll("/", ".")}=${value}: ${(error as Error).message}`);
    }
  }
  fs.rmSync(nodeDirs.lib, { recursive: true, force: true });
  fs.rmSync(nodeDirs.run, { recursive: true, force: true });
}

/** What a finished run must not leave behind: reported (and failing the run) when found. */
export async function leftovers(state: NodeState): Promise<string[]> {
  const found: string[] = [];
  for (const name of ["kubelet", "kube-scheduler", "containerd"]) {
    if (state.pids[name] && alive(state.pids[name])) found.push(`${name} (pid ${state.pids[name]}) still runs`);
  }
  if (ourShims().length > 0) found.push(`containerd shims still run: ${ourShims().join(", ")}`);
  const mounts = ourMounts(state.netnsBefore);
  if (mounts.length > 0) found.push(`mounts remain: ${mounts.join(", ")}`);
  if (fs.existsSync(`/sys/class/net/${podNetwork.bridge}`)) found.push(`bridge ${podNetwork.bridge} remains`);
  const chains = (await kubeChains()).filter((chain) => !state.chainsBefore.includes(chain));
  if (chains.length > 0) found.push(`iptables chains remain: ${chains.join(", ")}`);
  for (const dir of [...sharedDirs.filter((d) => !state.existed[d]), nodeDirs.lib, nodeDirs.run])
    if (fs.existsSync(dir)) found.push(`${dir} remains`);
  for (const [name, value] of Object.entries(state.sysctls)) {
    const now = fs.readFileSync(`/proc/sys/${name}`, "utf8").trim();
    if (now !== value) found.push(`${name.replaceAll("/", ".")} is ${now}, was ${value}`);
  }
  return found;
}
