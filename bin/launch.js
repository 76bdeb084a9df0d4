// Starts the vexil CLI on Node.js 26, from any Node.js that can read this file. Plain
// JavaScript on purpose: it must run before we know which Node.js we have.
// - In the repository (cli/main.ts present) it runs the TypeScript source, which Node 26 runs
//   as is, so `npx vexil` needs no build step; in an installed package it runs dist/.
// - On an older Node.js it re-runs itself on Node 26 from the npm `node` package when one is
//   installed (the repository's pinned devDependency, or one the project added), else it says
//   what to install instead of failing on syntax the old runtime does not know.
/* global process */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REQUIRED_MAJOR = 26;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function entry() {
  const source = join(root, "cli", "main.ts");
  return existsSync(source) ? source : join(root, "dist", "cli", "main.js");
}

function major(version) {
  return Number(String(version).replace(/^v/, "").split(".")[0]);
}

/** A Node.js >= 26 binary from an installed npm `node` package, if there is one. */
function pinnedNode() {
  const from = [pathToFileURL(join(root, "package.json")).href, pathToFileURL(join(process.cwd(), "x.js")).href];
  for (const base of from) {
    try {
      const manifest = createRequire(base).resolve("node/package.json");
      const { version } = JSON.parse(readFileSync(manifest, "utf8"));
      const binary = join(dirname(manifest), "bin", "node");
      if (major(version) >= REQUIRED_MAJOR && existsSync(binary)) return binary;
    } catch {
      // not installed where this base looks: try the next
    }
  }
  return undefined;
}

function rerun(binary, script, args) {
  const child = spawn(binary, [script, ...args], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

/** Run `vexil <args…>`. */
export async function launch(args) {
  const script = entry();
  if (major(process.versions.node) >= REQUIRED_MAJOR) {
    process.argv = [process.argv[0], script, ...args];
    await import(pathToFileURL(script).href);
    return;
  }
  const binary = pinnedNode();
  if (binary !== undefined) return rerun(binary, script, args);
  process.stderr.write(
    `vexil needs Node.js ${REQUIRED_MAJOR} or newer; this is Node.js ${process.versions.node}.\n` +
      `Install Node.js ${REQUIRED_MAJOR}, or add it to this project: npm install --save-dev node@${REQUIRED_MAJOR}\n`,
  );
  process.exit(1);
}
