// API-server outages for tests proving that watches survive them: kube-apiserver is killed
// abruptly (SIGKILL, so open watches break as in a real outage rather than draining) and later
// started again with its original command line; etcd keeps the data meanwhile.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { processAlive, type Cluster } from "./cluster.ts";
import { kubectl, waitFor } from "./helpers.ts";

/** Kills the cluster's kube-apiserver; resolves to a function that restarts it and waits for /readyz. */
export async function killApiserver(cluster: Cluster): Promise<() => Promise<void>> {
  const pid = cluster.pids.apiserver;
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  process.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), 20_000);
  return async () => {
    const log = fs.openSync(cluster.logs.apiserver, "a");
    const child = spawn(args[0] ?? cluster.binaries.apiserver, args.slice(1), { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    // cluster.stop() stops whatever pid it holds: hand it the new process
    if (child.pid !== undefined) cluster.pids.apiserver = child.pid;
    await waitFor(
      async () =>
        (await kubectl(["get", "--raw", "/readyz"], { kubeconfig: cluster.kubeconfig, timeoutMs: 3000 })).code === 0,
      60_000,
      250,
    );
  };
}
