// `vexil flags list|kill|restore` on a directory: the table a person reads, JSON for scripts,
// and the kill switch as the one-line edit a person would commit (the rest byte-identical).
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runFlagsList, runKillSwitch, type FlagsOptions } from "../../../cli/commands/flags.ts";
import { capture, vexil } from "./run-cli.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../../examples");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vexil-flags-"));
  await cp(EXAMPLES, dir, { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const options = (extra: Partial<FlagsOptions> = {}): FlagsOptions => ({
  flags: dir,
  namespace: "default",
  output: "human",
  ...extra,
});

/** Lines of `after` that differ from `before`, as "-old" / "+new". */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const removed = a.filter((line) => !b.includes(line)).map((l) => `-${l}`);
  const added = b.filter((line) => !a.includes(line)).map((l) => `+${l}`);
  return [...removed, ...added];
}

describe("vexil flags list", () => {
  it("prints key, type, environment, enabled, kill switch and rollout per environment", async () => {
    const io = capture();
    expect(await runFlagsList(io, options())).toBe(0);
    const lines = io.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY\s+TYPE\s+ENVIRONMENT\s+ENABLED\s+KILL SWITCH\s+ROLLOUT$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^new-checkout\s+boolean\s+production\s+true\s+off\s+percentage 25%$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^new-checkout\s+boolean\s+staging\s+true\s+off\s+percentage 100%$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^search-backend\s+string\s+production\s+true\s+ON\s+-$/));
  });

  it("--output json gives one object per flag and environment", async () => {
    const io = capture();
    await runFlagsList(io, options({ output: "json" }));
    const { flags } = JSON.parse(io.stdout) as { flags: unknown[] };
    expect(flags).toContainEqual({
      key: "recommendations-v2",
      type: "boolean",
      environment: "production",
      enabled: true,
      killSwitch: false,
      rollout: "gradual 5% → 100%",
    });
  });
});

describe("vexil flags kill / restore on a directory", () => {
  it("kill is a one-line diff of the flag's own file; restore flips that line back", async () => {
    const before = await readFile(join(dir, "checkout.yaml"), "utf8");
    const io = capture();
    expect(await runKillSwitch(io, "new-checkout", true, options())).toBe(0);
    expect(io.stdout).toBe(
      `new-checkout: kill switch ON: every environment serves the off variant (${join(dir, "checkout.yaml")})\n`,
    );
    const killed = await readFile(join(dir, "checkout.yaml"), "utf8");
    expect(changedLines(before, killed)).toEqual(["+  killSwitch: true"]);
    expect(killed.split("\n").length).toBe(before.split("\n").length + 1);
    for (const other of ["premium.yaml", "search.yaml", "gradual.yaml"]) {
      expect(await readFile(join(dir, other), "utf8")).toBe(await readFile(join(EXAMPLES, other), "utf8"));
    }
    const evaluated = await vexil(["eval", "new-checkout", "--flags", dir, "--context", '{"targetingKey":"user-1"}']);
    expect(evaluated.stdout).toBe('new-checkout = false (variant "off", reason DISABLED)\n');

    expect(await runKillSwitch(capture(), "new-checkout", false, options())).toBe(0);
    const restored = await readFile(join(dir, "checkout.yaml"), "utf8");
    expect(changedLines(before, restored)).toEqual(["+  killSwitch: false"]);
  });

  it("restore of an existing `killSwitch: true` changes only that value", async () => {
    const before = await readFile(join(dir, "search.yaml"), "utf8");
    const io = capture();
    await runKillSwitch(io, "search-backend", false, options({ output: "json" }));
    expect(JSON.parse(io.stdout)).toEqual({
      key: "search-backend",
      killSwitch: false,
      changed: true,
      where: join(dir, "search.yaml"),
    });
    const after = await readFile(join(dir, "search.yaml"), "utf8");
    expect(after).toBe(before.replace("killSwitch: true", "killSwitch: false"));
  });

  it("a kill switch already on writes nothing and says so", async () => {
    const io = capture();
    await runKillSwitch(io, "search-backend", true, options());
    expect(io.stdout).toContain("(already so, nothing changed)");
    expect(await readFile(join(dir, "search.yaml"), "utf8")).toBe(
      await readFile(join(EXAMPLES, "search.yaml"), "utf8"),
    );
  });

  it("an unknown flag exits 1 with the nearest key", async () => {
    const io = capture();
    expect(await runKillSwitch(io, "new-chekout", true, options())).toBe(1);
    expect(io.stderr).toBe(`error: flag "new-chekout" not found in ${dir} (did you mean "new-checkout"?)\n`);
  });

  it("the real command: no target is a usage error (exit 2)", async () => {
    const result = await vexil(["flags", "kill", "new-checkout"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("say where the flags are: --flags DIR, or --kubernetes for a cluster");
  });
});
