// Builds the pinned helm CLI (test/k8s/helm/go.mod) into a cache outside the repo, like the
// control-plane binaries: ${VEXIL_CACHE_DIR:-~/.cache/vexil}/helm-<version>-<hash>/bin/helm. The
// chart tests and `npm run generate` (which renders deploy/ from the chart) use it. Cold: about
// a minute of module downloads and a few minutes of compiling on 2 cores (docs/testing.md).
//
//   node test/k8s/helm.ts          build (or verify) and print the binary's path
//   node test/k8s/helm.ts --path   print only the cache directory
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, checkGo, formatDuration, isExecutable, runGo, withLock } from "./build.ts";

const moduleDir = path.join(import.meta.dirname, "helm");
const HELM_MODULE = "helm.sh/helm/v4";
/** Bump when the build flags change without a go.mod change. */
const BUILD_RECIPE = 1;

export function helmVersion(): string {
  const text = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const match = /^\s*helm\.sh\/helm\/v4\s+(v\S+)/m.exec(text);
  if (!match?.[1]) throw new Error(`helm: ${HELM_MODULE} is not required in ${moduleDir}/go.mod`);
  return match[1];
}

export function helmCacheDir(): string {
  const hash = createHash("sha256");
  hash.update(`recipe ${BUILD_RECIPE} ${process.platform} ${process.arch}\n`);
  for (const file of ["go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(moduleDir, file)));
  return path.join(cacheRoot(), `helm-${helmVersion()}-${hash.digest("hex").slice(0, 12)}`);
}

/** The helm binary for the pinned version, built first when the cache is empty. */
export async function ensureHelm(): Promise<string> {
  const dir = helmCacheDir();
  const binary = path.join(dir, "bin", "helm");
  if (isExecutable(binary)) return binary;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (isExecutable(binary)) return binary;
    const goVersion = checkGo();
    const version = helmVersion();
    const started = Date.now();
    process.stderr.write(`[vexil helm] building helm ${version} with ${goVersion} into ${dir}\n`);
    await runGo("downloading Go modules for helm", ["mod", "download"], moduleDir);
    const tmp = `${binary}.tmp-${process.pid}`;
    try {
      // the version stamp makes `helm version` report the pinned release instead of "v4.3"
      const ldflags = `-s -w -X ${HELM_MODULE}/internal/version.version=${version}`;
      await runGo(
        "building helm",
        ["build", "-trimpath", "-ldflags", ldflags, "-o", tmp, `${HELM_MODULE}/cmd/helm`],
        moduleDir,
      );
      fs.renameSync(tmp, binary); // atomic: a binary that exists is complete
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    process.stderr.write(`[vexil helm] helm ${version} built in ${formatDuration(Date.now() - started)}\n`);
    return binary;
  });
}

if (import.meta.main) {
  try {
    process.stdout.write(`${process.argv.includes("--path") ? helmCacheDir() : await ensureHelm()}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
