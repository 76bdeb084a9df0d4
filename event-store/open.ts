// One way to name a store everywhere (CLI flags, the TypeScript API): a postgres:// URL, or
// the path of a SQLite file. Without a name, directory mode keeps its events beside the flags.
import * as path from "node:path";
import { PostgresEventStore } from "./postgres.ts";
import { SqliteEventStore } from "./sqlite.ts";
import type { EventStore } from "./store.ts";

/** The state folder beside a flag directory; docs advise git-ignoring it. */
export const STATE_DIR = ".vexil";

export function defaultEventsDatabase(flagsDir: string): string {
  return path.join(flagsDir, STATE_DIR, "events.db");
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export function openEventStore(location: string): EventStore {
  if (location.trim() === "") throw new Error("the events database is empty: give a postgres:// URL or a file path");
  if (isPostgresUrl(location)) return new PostgresEventStore(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new Error(
      `unsupported events database "${location.split("://")[0]}://": use postgres:// or a SQLite file path`,
    );
  }
  return new SqliteEventStore(location);
}
