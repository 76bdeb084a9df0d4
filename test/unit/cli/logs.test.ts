// Logs a person can read: pretty lines on a terminal, JSON lines otherwise or on request, and
// the moment invalid flag files become valid again is logged, not only the failure.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { resolveLogFormat } from "../../../cli/logging.ts";
import { DirectorySnapshotSource } from "../../../evaluator/sources/directory.ts";
import { CHECKOUT, flagsDir } from "./run-cli.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("log format", () => {
  const wasTty = process.stdout.isTTY;
  afterEach(() => {
    process.stdout.isTTY = wasTty;
  });

  it("is pretty on a terminal and JSON otherwise, unless --log-format or --output json says", () => {
    process.stdout.isTTY = true;
    expect(resolveLogFormat({}, 1)).toBe("pretty");
    expect(resolveLogFormat({ output: "json" }, 1)).toBe("json");
    expect(resolveLogFormat({ logFormat: "json" }, 1)).toBe("json");
    process.stdout.isTTY = false;
    expect(resolveLogFormat({}, 1)).toBe("json");
    expect(resolveLogFormat({ logFormat: "pretty" }, 1)).toBe("pretty");
  });

  it("vexil serve --log-format pretty prints readable lines, not JSON", async () => {
    const flags = await flagsDir({ "checkout.yaml": CHECKOUT });
    const child = spawn(
      join(ROOT, "node_modules/.bin/node"),
      [
        join(ROOT, "cli/main.ts"),
        "serve",
        "--flags",
        flags.dir,
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--log-format",
        "pretty",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/INFO.*listening/);
      expect(out).not.toContain('{"level"');
      expect(out).toMatch(/address: "http:\/\/127\.0\.0\.1:\d+"/);
    } finally {
      child.kill("SIGTERM");
      await new Promise((done) => child.on("exit", done));
      await flags.cleanup();
    }
  }, 60_000);
});

describe("directory source", () => {
  it("logs the recovery when invalid flag files become valid again", async () => {
    const flags = await flagsDir({ "checkout.yaml": CHECKOUT });
    const lines: { msg: string; level: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string; level: number });
        done();
      },
    });
    const source = new DirectorySnapshotSource({
      dir: flags.dir,
      namespace: "default",
      environment: "production",
      logger: pino({ level: "info" }, sink),
      pollMs: 60_000,
    });
    try {
      await source.start();
      await writeFile(join(flags.dir, "checkout.yaml"), CHECKOUT.replace("type: boolean", "type: boolan"));
      await source.reload();
      await writeFile(join(flags.dir, "checkout.yaml"), CHECKOUT);
      await source.reload();
      const messages = lines.map((l) => l.msg);
      // a schema-invalid file is either rejected or served from its last good content; both are logged
      const invalid = messages.findIndex(
        (m) =>
          m === "flag files are invalid; keeping the last good snapshot" ||
          m.startsWith("some flag files are not readable yet"),
      );
      const recovered = messages.indexOf("flag files are valid again; the served snapshot is current");
      expect(invalid).toBeGreaterThanOrEqual(0);
      expect(recovered).toBeGreaterThan(invalid);
      expect(lines[recovered]?.level).toBe(30);
    } finally {
      await source.stop();
      await flags.cleanup();
    }
  });
});
