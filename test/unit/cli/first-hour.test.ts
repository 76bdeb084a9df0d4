// What a new user hits in the first hour with the real `vexil` process: usage errors exit 2
// with the nearest name, a missing folder says so, --output json is everywhere, --default shows
// in human mode, and `serve` never hangs.
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHECKOUT, flagsDir, vexil } from "./run-cli.ts";

// each spawn loads the CLI; on a busy 2-core machine that takes seconds
vi.setConfig({ testTimeout: 90_000 });
const EXAMPLES = resolve(import.meta.dirname, "../../../examples");
let flags: Awaited<ReturnType<typeof flagsDir>>;
beforeAll(async () => {
  flags = await flagsDir({ "checkout.yaml": CHECKOUT });
});
afterAll(async () => {
  await flags.cleanup();
});

describe.concurrent("usage errors exit 2 with the nearest name", () => {
  it("an unknown command", async () => {
    const result = await vexil(["valdate", EXAMPLES]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'valdate'");
    expect(result.stderr).toContain("(Did you mean validate?)");
  });

  it("an unknown option of serve, which has no runner of its own", async () => {
    const result = await vexil(["serve", "--flags", EXAMPLES, "--prot", "8080"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--prot'");
  });

  it("an unknown environment names the known ones and the nearest", async () => {
    const commands = [
      ["eval", "new-checkout", "--flags", EXAMPLES, "--env", "stagin"],
      ["compile", "--flags", EXAMPLES, "--env", "stagin"],
      ["serve", "--flags", EXAMPLES, "--env", "stagin", "--port", "0"],
    ];
    const results = await Promise.all(commands.map((command) => vexil(command)));
    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]?.join(" ")).toBe(2);
      expect(result.stderr).toContain(
        'unknown environment "stagin" (did you mean "staging"?): the manifests in ' +
          `${EXAMPLES} know production, staging`,
      );
    }
  });

  it("a missing --flags folder says it does not exist, for eval, compile and serve", async () => {
    const commands = [
      ["eval", "new-checkout", "--flags", `${EXAMPLES}x`],
      ["compile", "--flags", `${EXAMPLES}x`, "--env", "production"],
      ["serve", "--flags", `${EXAMPLES}x`, "--port", "0"],
    ];
    const results = await Promise.all(commands.map((command) => vexil(command)));
    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]?.join(" ")).toBe(2);
      expect(result.stderr).toContain(`--flags ${EXAMPLES}x: no such file or directory (did you mean "examples"?)`);
    }
  });
});

describe.concurrent("eval and compile", () => {
  it("an unknown flag key gets the nearest key", async () => {
    const result = await vexil(["eval", "new-chekout", "--flags", EXAMPLES]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: new-chekout: FLAG_NOT_FOUND: flag "new-chekout" not found (did you mean "new-checkout"?)\n',
    });
  });

  it("--default shows in human mode as the value returned", async () => {
    const result = await vexil(["eval", "ghost", "--flags", flags.dir, "--default", "false"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("ghost = false (the --default value, reason ERROR)\n");
    expect(result.stderr).toBe('error: ghost: FLAG_NOT_FOUND: flag "ghost" not found\n');
  });

  it("compile takes --output json (the snapshot) and --output human (a summary)", async () => {
    const json = await vexil(["compile", "--flags", flags.dir, "--env", "staging", "--output", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ environment: "staging" });
    const human = await vexil(["compile", "--flags", flags.dir, "--env", "staging", "-o", "human"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^snapshot for namespace default, environment staging: 1 flag, hash [0-9a-f]{64}\n {2}new-checkout\n$/,
    );
  });

  it("a mistyped operator in a manifest gets the nearest operator", async () => {
    const typo = await flagsDir({ "f.yaml": CHECKOUT.replace("operator: equals", "operator: equal") });
    try {
      const result = await vexil(["validate", typo.dir, "-o", "json"]);
      expect(result.code).toBe(1);
      const { problems } = JSON.parse(result.stdout) as { problems: { message: string }[] };
      expect(problems[0]?.message).toMatch(/\(got "equal"\) \(did you mean "equals"\?\)$/);
    } finally {
      await typo.cleanup();
    }
  });
});

describe("serve never hangs", () => {
  it("exits 1 with the message when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const result = await vexil(["serve", "--flags", flags.dir, "--host", "127.0.0.1", "--port", String(port)]);
      const elapsed = Date.now() - started;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`vexil serve: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
      // the process start dominates (~0.5 s on an idle machine); a hang would hit vexil()'s 60 s timeout
      expect(elapsed).toBeLessThan(30_000);
    } finally {
      blocker.close();
    }
  });

  it("--wait-for-flags starts on a missing folder and waits for it", async () => {
    const args = ["--wait-for-flags", "--port", "0", "--host", "127.0.0.1", "--log-format", "json"];
    const waiting = spawn(
      resolve(import.meta.dirname, "../../../node_modules/.bin/node"),
      [resolve(import.meta.dirname, "../../../cli/main.ts"), "serve", "--flags", `${flags.dir}/later`, ...args],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    waiting.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((done) => waiting.on("exit", done));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toContain('"msg":"listening"');
    } finally {
      waiting.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});

describe.concurrent("operator --help", () => {
  it("shows durations in the seconds it takes", async () => {
    const result = await vexil(["operator", "--help"]);
    expect(result.stdout).toMatch(/--lease-duration <seconds>\s+leader lease duration \(default: 15\)/);
    expect(result.stdout).toMatch(/\(default: 10\)/);
    expect(result.stdout).not.toContain("15000");
  });
});
