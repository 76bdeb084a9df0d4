// Run `vexil` commands and capture what they print: in process through the run* functions,
// or as the real command (cli/main.ts on the pinned node).
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Io } from "../../../cli/output.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An Io that keeps what a command prints, for in-process tests of the run* functions. */
export function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

/** The real process: slower (it loads every command), so kept for exit codes and wiring. */
export function vexil(args: string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((done) => {
    execFile(NODE, [join(ROOT, "cli/main.ts"), ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

/** A temporary flags directory holding the given files (relative path → YAML text). */
export async function flagsDir(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "vexil-cli-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const CHECKOUT = `apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata:
  name: new-checkout
spec:
  type: boolean
  rules:
    - name: premium
      segments: [premium-users]
      serve: { variant: "on" }
  rollout: { strategy: percentage, percentage: 0 }
  environments:
    staging: { rollout: { strategy: percentage, percentage: 100 } }
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Segment
metadata:
  name: premium-users
spec:
  conditions:
    - { attribute: plan, operator: equals, values: [premium] }
`;
