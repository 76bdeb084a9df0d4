// The images of the real-node end-to-end test, built without Docker: Vexil's image from the
// project's Dockerfile with buildah (on the locally built node:26-slim base, test/e2e/base-image.sh),
// and the sandbox ("pause") image, a static Go program in a scratch image. Both are tagged with a
// hash of their inputs, so an unchanged tree reuses the image in buildah's store.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, checkGo, isExecutable, runGo } from "../k8s/build.ts";
import { repoRoot } from "../k8s/cluster.ts";
import { log, run, step } from "./process.ts";

const e2eDir = import.meta.dirname;
const pauseModuleDir = path.join(e2eDir, "pause");
/** The Dockerfile's build context (the allow-list in .dockerignore) and the Dockerfile itself. */
const contextEntries = [
  "Dockerfile",
  ".dockerignore",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "core",
  "webhooks",
  "kube",
  "api",
  "event-store",
  "evaluator",
  "operator",
  "cli",
  "examples",
];

function filesUnder(entry: string): string[] {
  const full = path.join(repoRoot, entry);
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((dirent) => dirent.isFile() && !dirent.name.endsWith(".test.ts"))
    .map((dirent) => path.relative(repoRoot, path.join(dirent.parentPath, dirent.name)))
    .sort();
}

/** A hash of every file the Dockerfile can see: the image tag, so a changed source rebuilds. */
export function contextHash(): string {
  const hash = createHash("sha256");
  for (const entry of contextEntries) {
    for (const file of filesUnder(entry)) {
      hash.update(`${file}\n`);
      hash.update(fs.readFileSync(path.join(repoRoot, file)));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

function imageExists(name: string): boolean {
  return spawnSync("buildah", ["inspect", "--type", "image", name], { stdio: "ignore" }).status === 0;
}

/** Vexil's image for the current tree, e.g. localhost/vexil:e2e-0123abcd4567. */
export async function ensureVexilImage(): Promise<string> {
  const image = `localhost/vexil:e2e-${contextHash()}`;
  if (imageExists(image)) {
    log(`image ${image} present (sources unchanged)`);
    return image;
  }
  await step("base image node:26-slim (test/e2e/base-image.sh)", () =>
    run("bash", [path.join(e2eDir, "base-image.sh")], { stream: true }),
  );
  await step(`buildah bud ${image} (about 7 minutes on 2 busy cores)`, () =>
    run(
      "buildah",
      [
        "bud",
        "--pull=never",
        // keeps the dependency layer: a source change rebuilds only from the COPY of the sources
        "--layers",
        "--isolation",
        "chroot",
        "--network",
        "host",
        "--secret",
        "id=npm-ca,src=/etc/ssl/certs/ca-certificates.crt",
        "-t",
        image,
        ".",
      ],
      { cwd: repoRoot, stream: true },
    ),
  );
  return image;
}

/** The sandbox image containerd starts first in every pod; the name containerd's config names. */
export const pauseImage = "localhost/vexil-e2e-pause:1";

export async function ensurePauseImage(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "main.go"]) hash.update(fs.readFileSync(path.join(pauseModuleDir, file)));
  const stamp = hash.digest("hex").slice(0, 12);
  const binary = path.join(cacheRoot(), `e2e-pause-${stamp}`, "pause");
  if (!isExecutable(binary)) {
    checkGo();
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    process.env.CGO_ENABLED = "0"; // static: the image has no libc
    await runGo(
      "building the pause program",
      ["build", "-trimpath", "-ldflags", "-s -w", "-o", binary, "."],
      pauseModuleDir,
    );
  }
  const current = spawnSync(
    "buildah",
    ["inspect", "--type", "image", "--format", '{{index .ImageAnnotations "dev.vexil.pause"}}', pauseImage],
    { encoding: "utf8" },
  );
  if (current.status === 0 && current.stdout.trim() === stamp) return pauseImage;
  const container = (await run("buildah", ["from", "scratch"])).trim();
  try {
    await run("buildah", ["copy", container, binary, "/pause"]);
    await run("buildah", [
      "config",
      "--entrypoint",
      '["/pause"]',
      "--annotation",
      `dev.vexil.pause=${stamp}`,
      container,
    ]);
    await run("buildah", ["commit", "--quiet", container, pauseImage]);
  } finally {
    await run("buildah", ["rm", container]).catch(() => "");
  }
  log(`pause image ${pauseImage} built`);
  return pauseImage;
}

/** Copies images from buildah's store into containerd's k8s.io namespace (ctr images import). */
export async function importImages(images: string[], address: string, workDir: string): Promise<void> {
  for (const image of images) {
    const archive = path.join(workDir, `${image.replace(/[^a-zA-Z0-9.-]/g, "_")}.tar`);
    fs.rmSync(archive, { force: true });
    await run("buildah", ["push", "--quiet", image, `oci-archive:${archive}:${image}`]);
    await run("ctr", ["--address", address, "-n", "k8s.io", "images", "import", "--no-unpack=false", archive]);
    fs.rmSync(archive, { force: true });
  }
}
