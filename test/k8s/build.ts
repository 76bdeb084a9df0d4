// Builds the pinned Kubernetes control-plane binaries (kube-apiserver, kube-controller-manager,
// kubectl, etcd) from the Go modules in test/k8s/go.mod and test/k8s/etcd/go.mod into a cache
// outside the repo. The first build takes several minutes; later calls only check that the
// binaries exist. See docs/testing.md.
//
//   node test/k8s/build.ts          build (or verify) and print the binary paths as JSON
//   node test/k8s/build.ts --path   print only the cache directory
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Binaries {
  apiserver: string;
  controllerManager: string;
  etcd: string;
  kubectl: string;
}

const moduleDir = import.meta.dirname;
const etcdModuleDir = path.join(moduleDir, "etcd");

/** Files whose content decides the cache key: change any of them and everything is rebuilt. */
const keyFiles = [
  path.join(moduleDir, "go.mod"),
  path.join(moduleDir, "go.sum"),
  path.join(etcdModuleDir, "go.mod"),
  path.join(etcdModuleDir, "go.sum"),
  path.join(etcdModuleDir, "main.go"),
];
/** Bump when the way binaries are built changes (flags, ldflags) without a go.mod change. */
const BUILD_RECIPE = 1;

function log(message: string): void {
  process.stderr.write(`[vexil k8s] ${message}\n`);
}

function fail(step: string, detail: string): never {
  throw new Error(`k8s test binaries: ${step} failed: ${detail}`);
}

function requiredVersion(goModPath: string, modulePath: string): string {
  const text = fs.readFileSync(goModPath, "utf8");
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(text);
  if (!match?.[1]) fail("reading pinned versions", `${modulePath} not found in ${goModPath}`);
  return match[1];
}

export function pinnedVersions(): { kubernetes: string; etcd: string } {
  return {
    kubernetes: requiredVersion(path.join(moduleDir, "go.mod"), "k8s.io/kubernetes"),
    etcd: requiredVersion(path.join(etcdModuleDir, "go.mod"), "go.etcd.io/etcd/server/v3"),
  };
}

export function cacheRoot(): string {
  if (process.env.VEXIL_CACHE_DIR) return path.resolve(process.env.VEXIL_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "vexil");
}

/** The directory holding bin/ for the current pins, e.g. ~/.cache/vexil/k8s-v1.37.2-etcd-v3.7.0-0123abcd4567. */
export function cacheDir(): string {
  const { kubernetes, etcd } = pinnedVersions();
  const hash = createHash("sha256");
  hash.update(`recipe ${BUILD_RECIPE} ${process.platform} ${process.arch}\n`);
  for (const file of keyFiles) {
    hash.update(`${path.basename(path.dirname(file))}/${path.basename(file)}\n`);
    hash.update(fs.readFileSync(file));
  }
  return path.join(cacheRoot(), `k8s-${kubernetes}-etcd-${etcd}-${hash.digest("hex").slice(0, 12)}`);
}

export function binaryPaths(dir = cacheDir()): Binaries {
  const bin = path.join(dir, "bin");
  return {
    apiserver: path.join(bin, "kube-apiserver"),
    controllerManager: path.join(bin, "kube-controller-manager"),
    etcd: path.join(bin, "etcd"),
    kubectl: path.join(bin, "kubectl"),
  };
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function allExist(binaries: Binaries): boolean {
  return Object.values(binaries).every(isExecutable);
}

function versionLdflags(kubernetes: string): string {
  const match = /^v(\d+)\.(\d+)\./.exec(kubernetes);
  if (!match) fail("computing version stamp", `cannot parse ${kubernetes}`);
  const flags = ["-s", "-w"];
  // Without these the server reports v0.0.0-master and `kubectl version` cannot parse it.
  for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
    flags.push(
      `-X ${pkg}.gitVersion=${kubernetes}`,
      `-X ${pkg}.gitMajor=${match[1]}`,
      `-X ${pkg}.gitMinor=${match[2]}`,
      `-X ${pkg}.gitTreeState=clean`,
    );
  }
  return flags.join(" ");
}

function goEnv(): NodeJS.ProcessEnv {
  // GOWORK=off: a go.work further up must not pull these modules into someone else's workspace.
  // (Module mode defaults to -mod=readonly: go.sum is committed and a build never rewrites it.)
  return { ...process.env, GOWORK: "off" };
}

export function checkGo(): string {
  const result = spawnSync("go", ["version"], { encoding: "utf8", env: goEnv() });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    fail(
      "checking for Go",
      code === "ENOENT"
        ? "the `go` command was not found on PATH. Install Go 1.26 or newer (https://go.dev/dl/) to build " +
            "kube-apiserver and etcd, or set VEXIL_KUBECONFIG to the kubeconfig of an existing cluster " +
            "(see scripts/kind.sh)."
        : String(result.error),
    );
  }
  if (result.status !== 0) fail("checking for Go", `\`go version\` exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim();
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Runs a go command, printing a heartbeat to stderr; rejects with the step name and output tail. */
export function runGo(step: string, args: string[], cwd: string): Promise<number> {
  const started = Date.now();
  log(`${step} ...`);
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd, env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const heartbeat = setInterval(() => log(`  ${step}: ${formatDuration(Date.now() - started)} elapsed`), 30_000);
    child.on("error", (error) => {
      clearInterval(heartbeat);
      reject(new Error(`k8s test binaries: ${step} failed to start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearInterval(heartbeat);
      const elapsed = Date.now() - started;
      if (code === 0) {
        log(`${step}: done in ${formatDuration(elapsed)}`);
        resolve(elapsed);
      } else {
        reject(
          new Error(
            `k8s test binaries: ${step} failed (${signal ?? `exit ${code}`}) after ${formatDuration(elapsed)} ` +
              `in ${cwd}\n$ go ${args.join(" ")}\n${output.trim().split("\n").slice(-40).join("\n")}`,
          ),
        );
      }
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // A zombie (exited, not yet reaped) still answers kill(0).
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (macOS)
  }
}

/** An exclusive lock file holding the owner's pid; a lock whose owner died is taken over. */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let owner: number;
      try {
        owner = Number(fs.readFileSync(lockFile, "utf8").trim());
      } catch {
        continue; // removed between open and read: retry at once
      }
      if (!Number.isInteger(owner) || owner <= 0 || !pidAlive(owner)) {
        log(`removing stale build lock ${lockFile} (owner ${owner} is gone)`);
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) fail("waiting for the build lock", `${lockFile} still held by pid ${owner}`);
      if (!announced) {
        log(`another process (pid ${owner}) is building the binaries; waiting for ${lockFile}`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/**
 * Returns the paths of kube-apiserver, kube-controller-manager, etcd and kubectl, building them
 * first when the cache for the current pins is empty. Throws, naming the failed step, when Go is
 * missing or a build fails: it never silently skips.
 */
export async function ensureBinaries(): Promise<Binaries> {
  const dir = cacheDir();
  const binaries = binaryPaths(dir);
  if (allExist(binaries)) return binaries;

  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (allExist(binaries)) return binaries; // built by whoever held the lock
    const goVersion = checkGo();
    const { kubernetes, etcd } = pinnedVersions();
    const started = Date.now();
    log(`building Kubernetes ${kubernetes} control plane and etcd ${etcd} with ${goVersion}`);
    log(`cache: ${dir}`);
    log("first build: ~1 GB of Go modules, then compiling (about 7.5 min on 2 cores)");
    await runGo("downloading Go modules for kubernetes", ["mod", "download"], moduleDir);
    await runGo("downloading Go modules for etcd", ["mod", "download"], etcdModuleDir);

    const ldflags = versionLdflags(kubernetes);
    const targets: Array<{ name: string; out: string; pkg: string; cwd: string; flags: string }> = [
      {
        name: "kube-apiserver",
        out: binaries.apiserver,
        pkg: "k8s.io/kubernetes/cmd/kube-apiserver",
        cwd: moduleDir,
        flags: ldflags,
      },
      {
        name: "kube-controller-manager",
        out: binaries.controllerManager,
        pkg: "k8s.io/kubernetes/cmd/kube-controller-manager",
        cwd: moduleDir,
        flags: ldflags,
      },
      { name: "kubectl", out: binaries.kubectl, pkg: "k8s.io/kubernetes/cmd/kubectl", cwd: moduleDir, flags: ldflags },
      { name: "etcd", out: binaries.etcd, pkg: ".", cwd: etcdModuleDir, flags: "-s -w" },
    ];
    for (const [index, target] of targets.entries()) {
      if (isExecutable(target.out)) {
        log(`${target.name}: already built`);
        continue;
      }
      const tmp = `${target.out}.tmp-${process.pid}`;
      try {
        await runGo(
          `building ${target.name} (${index + 1}/${targets.length})`,
          ["build", "-trimpath", "-ldflags", target.flags, "-o", tmp, target.pkg],
          target.cwd,
        );
        fs.renameSync(tmp, target.out); // atomic: a binary that exists is complete
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    log(`all binaries built in ${formatDuration(Date.now() - started)}: ${path.join(dir, "bin")}`);
    return binaries;
  });
}

if (import.meta.main) {
  try {
    if (process.argv.includes("--path")) {
      process.stdout.write(`${cacheDir()}\n`);
    } else {
      const started = Date.now();
      const binaries = await ensureBinaries();
      log(`binaries ready (${formatDuration(Date.now() - started)})`);
      process.stdout.write(`${JSON.stringify(binaries, null, 2)}\n`);
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
