// A throwaway Kubernetes control plane for integration tests: etcd + kube-apiserver (+
// kube-controller-manager) on 127.0.0.1, no container engine, no kubelet. See docs/testing.md.
//
//   node test/k8s/cluster.ts up       start, write .vexil/kubeconfig and .vexil/cluster.json, exit
//   node test/k8s/cluster.ts down     stop what `up` started and remove its data
//   node test/k8s/cluster.ts status   print .vexil/cluster.json and whether the processes live
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBinaries, pinnedVersions, type Binaries } from "./build.ts";

export interface StartClusterOptions {
  /** Where kubeconfig, cluster.json and bin/kubectl are written. Default: the data dir. */
  dir?: string;
  /** etcd data, certificates and logs. Default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Keep the processes running after this Node process exits (CLI `up`). Default false. */
  detached?: boolean;
  /** Also run kube-controller-manager (namespace deletion, garbage collection, service accounts).
   *  Default true; VEXIL_K8S_CONTROLLERS=0 turns it off. */
  controllerManager?: boolean;
  /** Address kube-apiserver listens on. Default 127.0.0.1; the real-node e2e uses the node's address
   *  so that pods reach it (test/e2e/node.ts). */
  bindAddress?: string;
  /** How long to wait for /readyz. Default 120 s. */
  readyTimeoutMs?: number;
  binaries?: Binaries;
}

export interface ClusterState {
  version: 1;
  kubernetesVersion: string;
  server: string;
  kubeconfig: string;
  kubectl: string;
  dir: string;
  dataDir: string;
  /** Whether stop() removes dataDir (true when startCluster created it). */
  ownsDataDir: boolean;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number };
  pids: { etcd: number; apiserver: number; controllerManager?: number };
  logs: { etcd: string; apiserver: string; controllerManager?: string };
  binaries: Binaries;
  startedAt: string;
  readyAfterMs: number;
}

export interface Cluster extends ClusterState {
  stop(): Promise<void>;
}

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const defaultStateDir = path.join(repoRoot, ".vexil");

function log(message: string): void {
  process.stderr.write(`[vexil k8s] ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Certificates

const opensslConfig = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function openssl(args: string[], cwd: string, what: string): void {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      `test cluster: generating ${what} failed: ${missing ? "the `openssl` command was not found on PATH (install OpenSSL 3)" : result.error.message}`,
    );
  }
  if (result.status !== 0) {
    throw new Error(`test cluster: generating ${what} failed: openssl ${args.join(" ")}\n${result.stderr}`);
  }
}

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** CA, apiserver serving cert (127.0.0.1/localhost), admin client cert (O=system:masters), SA keys. */
export function generatePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, "openssl.cnf"), opensslConfig);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const common = ["-config", "openssl.cnf", "-days", "3650"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      ...common,
      "-extensions",
      "ca",
      "-subj",
      "/CN=vexil-test-ca",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
    ],
    dir,
    "the CA certificate",
  );
  const signed = ["-CA", "ca.crt", "-CAkey", "ca.key"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      ...common,
      ...signed,
      "-extensions",
      "server",
      "-subj",
      "/CN=kube-apiserver",
      "-keyout",
      "server.key",
      "-out",
      "server.crt",
    ],
    dir,
    "the apiserver serving certificate",
  );
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      ...common,
      ...signed,
      "-extensions",
      "client",
      "-subj",
      "/O=system:masters/CN=vexil-admin",
      "-keyout",
      "admin.key",
      "-out",
      "admin.crt",
    ],
    dir,
    "the admin client certificate",
  );
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  fs.writeFileSync(path.join(dir, "sa.key"), privateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "sa.pub"), publicKey);
  const file = (name: string): string => path.join(dir, name);
  return {
    caCert: file("ca.crt"),
    caKey: file("ca.key"),
    serverCert: file("server.crt"),
    serverKey: file("server.key"),
    adminCert: file("admin.crt"),
    adminKey: file("admin.key"),
    serviceAccountKey: file("sa.key"),
    serviceAccountPub: file("sa.pub"),
  };
}

function kubeconfigYaml(server: string, pki: Pki): string {
  const b64 = (file: string): string => fs.readFileSync(file).toString("base64");
  return `apiVersion: v1
kind: Config
clusters:
- name: vexil-test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(pki.caCert)}
users:
- name: vexil-admin
  user:
    client-certificate-data: ${b64(pki.adminCert)}
    client-key-data: ${b64(pki.adminKey)}
contexts:
- name: vexil-test
  context:
    cluster: vexil-test
    user: vexil-admin
    namespace: default
current-context: vexil-test
`;
}

// ---------------------------------------------------------------------------------------------
// Processes

async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
      servers.push(server);
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

interface Started {
  child: ChildProcess;
  exited: () => string | undefined;
}

function startProcess(name: string, bin: string, args: string[], logFile: string, detached: boolean): Started {
  const out = fs.openSync(logFile, "a");
  fs.writeSync(out, `# ${new Date().toISOString()} ${bin} ${args.join(" ")}\n`);
  let exit: string | undefined;
  const child = spawn(bin, args, { detached, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  child.on("error", (error) => {
    exit = `failed to start: ${error.message}`;
  });
  child.on("exit", (code, signal) => {
    exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
  });
  if (child.pid === undefined) {
    throw new Error(`test cluster: could not start ${name} (${bin})`);
  }
  return { child, exited: () => exit };
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function request(url: string, tls?: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith("https:") ? https : http;
    const req = lib.get(url, { ...tls, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  exited: () => string | undefined,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    const exit = exited();
    if (exit) {
      throw new Error(
        `test cluster: ${what} ${exit} before becoming ready. Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `test cluster: ${what} not ready after ${timeoutMs / 1000}s${lastError ? ` (last error: ${lastError})` : ""}. ` +
          `Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    await sleep(200);
  }
}

/** True when pid is alive and (if given) its command line contains `binary`. Zombies count as dead. */
export function processAlive(pid: number, binary?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    if (binary && !fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(binary)) return false;
  } catch {
    // no /proc (macOS): trust kill(0)
  }
  return true;
}

async function terminate(pid: number | undefined, binary: string, graceMs = 10_000): Promise<void> {
  if (!pid || !processAlive(pid, binary)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  const killDeadline = Date.now() + 5000;
  while (processAlive(pid) && Date.now() < killDeadline) await sleep(100);
}

/** Stops the processes named in a cluster state (apiserver first) and removes its data dir. */
export async function stopCluster(state: ClusterState): Promise<void> {
  await terminate(state.pids.controllerManager, state.binaries.controllerManager);
  await terminate(state.pids.apiserver, state.binaries.apiserver);
  await terminate(state.pids.etcd, state.binaries.etcd);
  if (state.ownsDataDir) fs.rmSync(state.dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Cluster

/**
 * Starts etcd, kube-apiserver and (by default) kube-controller-manager on free 127.0.0.1 ports,
 * waits for /readyz, writes `<dir>/kubeconfig`, `<dir>/cluster.json` and `<dir>/bin/kubectl`.
 */
export async function startCluster(opts: StartClusterOptions = {}): Promise<Cluster> {
  const started = Date.now();
  const binaries = opts.binaries ?? (await ensureBinaries());
  const ownsDataDir = !opts.dataDir;
  const dataDir = opts.dataDir
    ? path.resolve(opts.dataDir)
    : fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "vexil-k8s-"));
  const dir = path.resolve(opts.dir ?? dataDir);
  const detached = opts.detached ?? false;
  const withControllers = opts.controllerManager ?? process.env.VEXIL_K8S_CONTROLLERS !== "0";
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dataDir, "logs"), { recursive: true });

  const pki = generatePki(path.join(dataDir, "pki"));
  const [etcdClient, etcdPeer, apiserverPort] = (await freePorts(3)) as [number, number, number];
  const server = `https://127.0.0.1:${apiserverPort}`;
  const logs: ClusterState["logs"] = {
    etcd: path.join(dataDir, "logs", "etcd.log"),
    apiserver: path.join(dataDir, "logs", "kube-apiserver.log"),
  };
  const children: Started[] = [];
  const pids: Partial<ClusterState["pids"]> = {};
  const partialState = (): ClusterState =>
    ({ binaries, dataDir, ownsDataDir, pids: { ...pids } }) as unknown as ClusterState;

  // Programmatic (attached) clusters must not outlive this process, even when a test run crashes.
  const killOnExit = (): void => {
    for (const { child } of children) {
      try {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  if (!detached) process.on("exit", killOnExit);
  // ...and when this process dies without an 'exit' event (SIGKILL, SIGTERM, a runner's timeout),
  // a tiny shell watchdog in its own process group stops the children and removes the data dir.
  let watchdog: ChildProcess | undefined;
  const startWatchdog = (): void => {
    if (detached) return;
    watchdog?.kill("SIGKILL");
    const victims = children.map(({ child }) => child.pid).filter((pid) => pid !== undefined);
    const script = [
      "p=$1; d=$2; shift 2",
      // alive = answers kill -0 and is not a zombie (no /proc: trust kill -0)
      'alive() { kill -0 "$1" 2>/dev/null && ! grep -qE "^[0-9]+ \\(.*\\) Z" /proc/"$1"/stat 2>/dev/null; }',
      'any() { for x in "$@"; do if alive "$x"; then return 0; fi; done; return 1; }',
      'while alive "$p"; do sleep 1; done',
      'kill -TERM "$@" 2>/dev/null; i=0',
      'while [ $i -lt 10 ] && any "$@"; do sleep 1; i=$((i+1)); done',
      'kill -KILL "$@" 2>/dev/null',
      'if [ -n "$d" ]; then rm -rf "$d"; fi',
    ].join("\n");
    watchdog = spawn(
      "sh",
      ["-c", script, "vexil-k8s-watchdog", String(process.pid), ownsDataDir ? dataDir : "", ...victims.map(String)],
      {
        detached: true,
        stdio: "ignore",
      },
    );
    watchdog.on("error", () => undefined);
    watchdog.unref();
  };
  const stopWatchdog = (): void => {
    try {
      watchdog?.kill("SIGKILL");
    } catch {
      // already gone
    }
  };

  try {
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    const etcd = startProcess(
      "etcd",
      binaries.etcd,
      [
        "--name=vexil-test",
        `--data-dir=${path.join(dataDir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=vexil-test=${peerUrl}`,
        "--initial-cluster-state=new",
        "--unsafe-no-fsync", // test data only: much faster on slow disks
        "--log-level=warn",
      ],
      logs.etcd,
      detached,
    );
    children.push(etcd);
    pids.etcd = etcd.child.pid;
    startWatchdog();
    await waitUntil(
      "etcd",
      async () => (await request(`${etcdUrl}/health`)).body.includes('"health":"true"'),
      etcd.exited,
      logs.etcd,
      30_000,
    );

    const apiserver = startProcess(
      "kube-apiserver",
      binaries.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        `--bind-address=${opts.bindAddress ?? "127.0.0.1"}`,
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiserverPort}`,
        // The endpoint reconciler refuses a loopback advertise address.
        "--endpoint-reconciler-type=none",
        "--service-cluster-ip-range=10.0.0.0/24",
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--authorization-mode=Node,RBAC",
        // how `kubectl logs/exec` authenticate to a kubelet (the real-node e2e; unused otherwise)
        `--kubelet-client-certificate=${pki.adminCert}`,
        `--kubelet-client-key=${pki.adminKey}`,
        `--cert-dir=${path.join(dataDir, "apiserver-certs")}`,
        "--profiling=false",
      ],
      logs.apiserver,
      detached,
    );
    children.push(apiserver);
    pids.apiserver = apiserver.child.pid;
    startWatchdog();
    const tls: https.RequestOptions = {
      ca: fs.readFileSync(pki.caCert),
      cert: fs.readFileSync(pki.adminCert),
      key: fs.readFileSync(pki.adminKey),
    };
    await waitUntil(
      "kube-apiserver",
      async () => (await request(`${server}/readyz`, tls)).status === 200,
      apiserver.exited,
      logs.apiserver,
      readyTimeoutMs,
    );

    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, kubeconfigYaml(server, pki), { mode: 0o600 });
    fs.chmodSync(kubeconfig, 0o600);

    if (withControllers) {
      logs.controllerManager = path.join(dataDir, "logs", "kube-controller-manager.log");
      const controllerManager = startProcess(
        "kube-controller-manager",
        binaries.controllerManager,
        [
          `--kubeconfig=${kubeconfig}`,
          "--leader-elect=false",
          "--secure-port=0",
          `--service-account-private-key-file=${pki.serviceAccountKey}`,
          `--root-ca-file=${pki.caCert}`,
          `--cluster-signing-cert-file=${pki.caCert}`,
          `--cluster-signing-key-file=${pki.caKey}`,
          "--service-cluster-ip-range=10.0.0.0/24",
          "--profiling=false",
        ],
        logs.controllerManager,
        detached,
      );
      children.push(controllerManager);
      pids.controllerManager = controllerManager.child.pid;
      startWatchdog();
    }

    const binDir = path.join(dir, "bin");
    fs.mkdirSync(binDir, { recursive: true });
    const kubectl = path.join(binDir, "kubectl");
    fs.rmSync(kubectl, { force: true });
    fs.symlinkSync(binaries.kubectl, kubectl);

    const state: ClusterState = {
      version: 1,
      kubernetesVersion: pinnedVersions().kubernetes,
      server,
      kubeconfig,
      kubectl,
      dir,
      dataDir,
      ownsDataDir,
      ports: { etcdClient, etcdPeer, apiserver: apiserverPort },
      pids: pids as ClusterState["pids"],
      logs,
      binaries,
      startedAt: new Date(started).toISOString(),
      readyAfterMs: Date.now() - started,
    };
    fs.writeFileSync(path.join(dir, "cluster.json"), `${JSON.stringify(state, null, 2)}\n`);
    if (detached) for (const { child } of children) child.unref();

    let stopped = false;
    return {
      ...state,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        stopWatchdog();
        await stopCluster(state);
        process.off("exit", killOnExit);
        fs.rmSync(path.join(dir, "cluster.json"), { force: true });
      },
    };
  } catch (error) {
    stopWatchdog();
    await stopCluster(partialState()).catch(() => undefined);
    process.off("exit", killOnExit);
    throw error;
  }
}

function readState(dir: string): ClusterState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "cluster.json"), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

function isRunning(state: ClusterState): boolean {
  return (
    processAlive(state.pids.apiserver, state.binaries.apiserver) && processAlive(state.pids.etcd, state.binaries.etcd)
  );
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? "help";
  const dir = defaultStateDir;
  const relative = (file: string): string => path.relative(process.cwd(), file) || ".";
  switch (command) {
    case "up": {
      const existing = readState(dir);
      if (existing && isRunning(existing)) {
        log(
          `already running at ${existing.server} (kubeconfig ${relative(existing.kubeconfig)}); \`npm run cluster:down\` stops it`,
        );
        return 0;
      }
      if (existing) {
        log("cleaning up a cluster that is no longer running");
        await stopCluster(existing);
      }
      const cluster = await startCluster({ dir, detached: true });
      log(
        `kube-apiserver ${cluster.kubernetesVersion} ready at ${cluster.server} in ${(cluster.readyAfterMs / 1000).toFixed(1)}s`,
      );
      log(`logs: ${path.join(cluster.dataDir, "logs")}`);
      process.stdout.write(
        `export KUBECONFIG=${cluster.kubeconfig}\n# then: ${relative(cluster.kubectl)} get namespaces\n`,
      );
      return 0;
    }
    case "down": {
      const state = readState(dir);
      if (!state) {
        log(`no cluster recorded in ${relative(path.join(dir, "cluster.json"))}; nothing to stop`);
        return 0;
      }
      await stopCluster(state);
      fs.rmSync(path.join(dir, "cluster.json"), { force: true });
      fs.rmSync(state.kubeconfig, { force: true });
      log(`stopped the cluster at ${state.server} and removed ${state.dataDir}`);
      return 0;
    }
    case "status": {
      const state = readState(dir);
      if (!state) {
        log("no cluster recorded");
        return 1;
      }
      process.stdout.write(`${JSON.stringify({ running: isRunning(state), ...state }, null, 2)}\n`);
      return isRunning(state) ? 0 : 1;
    }
    default:
      process.stderr.write("usage: node test/k8s/cluster.ts up|down|status\n");
      return command === "help" ? 0 : 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
