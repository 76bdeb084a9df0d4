// Builds the node binaries of the real-node end-to-end test, kubelet and kube-scheduler, from the
// pinned Kubernetes module (test/k8s/node/go.mod, the same release as the control plane) into
// ${VEXIL_CACHE_DIR:-~/.cache/vexil}/k8s-node-<version>-<hash>/bin. A module of its own, so adding
// them did not change the integration tests' cache key. See docs/testing.md.
//
//   node test/k8s/node.ts          build (or verify) and print the binary paths as JSON
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, checkGo, formatDuration, isExecutable, pinnedVersions, runGo, withLock } from "./build.ts";

const moduleDir = path.join(import.meta.dirname, "node");
/** Bump when the build flags change without a go.mod change. */
const BUILD_RECIPE = 1;

export interface NodeBinaries {
  kubelet: string;
  scheduler: string;
}

function nodeKubernetesVersion(): string {
  const text = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(text);
  if (!match?.[1]) throw new Error(`k8s node binaries: k8s.io/kubernetes is not required in ${moduleDir}/go.mod`);
  const controlPlane = pinnedVersions().kubernetes;
  if (match[1] !== controlPlane) {
    throw new Error(
      `k8s node binaries: ${moduleDir}/go.mod pins k8s.io/kubernetes ${match[1]} but test/k8s/go.mod pins ` +
        `${controlPlane}; the kubelet must match the API server: update both together`,
    );
  }
  return match[1];
}

export function nodeCacheDir(): string {
  const hash = createHash("sha256");
  hash.update(`recipe ${BUILD_RECIPE} ${process.platform} ${process.arch}\n`);
  for (const file of ["go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(moduleDir, file)));
  return path.join(cacheRoot(), `k8s-node-${nodeKubernetesVersion()}-${hash.digest("hex").slice(0, 12)}`);
}

/** The same version stamp as the control plane's, so the node reports v1.37.x, not v0.0.0. */
function ldflags(version: string): string {
  const match = /^v(\d+)\.(\d+)\./.exec(version);
  const flags = ["-s", "-w"];
  for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
    flags.push(`-X ${pkg}.gitVersion=${version}`, `-X ${pkg}.gitTreeState=clean`);
    if (match) flags.push(`-X ${pkg}.gitMajor=${match[1]}`, `-X ${pkg}.gitMinor=${match[2]}`);
  }
  return flags.join(" ");
}

/** kubelet and kube-scheduler for the pinned release, built first when the cache is empty. */
export async function ensureNodeBinaries(): Promise<NodeBinaries> {
  const dir = nodeCacheDir();
  const binaries: NodeBinaries = {
    kubelet: path.join(dir, "bin", "kubelet"),
    scheduler: path.join(dir, "bin", "kube-scheduler"),
  };
  const built = (): boolean => Object.values(binaries).every(isExecutable);
  if (built()) return binaries;
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (built()) return binaries;
    const goVersion = checkGo();
    const version = nodeKubernetesVersion();
    const started = Date.now();
    process.stderr.write(`[vexil k8s] building kubelet and kube-scheduler ${version} with ${goVersion} into ${dir}\n`);
    await runGo("downloading Go modules for the node binaries", ["mod", "download"], moduleDir);
    const targets = [
      { name: "kubelet", out: binaries.kubelet },
      { name: "kube-scheduler", out: binaries.scheduler },
    ];
    for (const target of targets) {
      if (isExecutable(target.out)) continue;
      const tmp = `${target.out}.tmp-${process.pid}`;
      try {
        await runGo(
          `building ${target.name}`,
          ["build", "-trimpath", "-ldflags", ldflags(version), "-o", tmp, `k8s.io/kubernetes/cmd/${target.name}`],
          moduleDir,
        );
        fs.renameSync(tmp, target.out); // atomic: a binary that exists is complete
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    process.stderr.write(`[vexil k8s] node binaries built in ${formatDuration(Date.now() - started)}\n`);
    return binaries;
  });
}

if (import.meta.main) {
  try {
    process.stdout.write(`${JSON.stringify(await ensureNodeBinaries(), null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
