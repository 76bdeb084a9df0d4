// Snapshots are immutable once loaded, so each is prepared once and the runtime form is
// cached in a WeakMap keyed by the snapshot object: evaluators that swap snapshots atomically
// let the old one (and its prepared form) be garbage-collected. Flags are prepared lazily, on
// their first evaluation, so loading a large snapshot costs nothing up front.
import { prepareFlag } from "./prepare-flag.ts";
import type { PreparedFlag } from "./prepared.ts";

/** A prepared flag, or the message explaining why the flag in the snapshot is malformed. */
export type FlagEntry = PreparedFlag | string;

interface PreparedSnapshot {
  flags: object;
  entries: Map<string, FlagEntry>;
}

const cache = new WeakMap<object, PreparedSnapshot>();
// Evaluators serve one snapshot at a time: remembering the last one skips the WeakMap lookup.
let lastSnapshot: object | undefined;
let lastPrepared: PreparedSnapshot | undefined;

function preparedSnapshot(snapshot: object): PreparedSnapshot | undefined {
  if (snapshot === lastSnapshot) return lastPrepared;
  let prepared = cache.get(snapshot);
  if (prepared === undefined) {
    const flags = (snapshot as { flags?: unknown }).flags;
    if (typeof flags !== "object" || flags === null || Array.isArray(flags)) return undefined;
    prepared = { flags, entries: new Map() };
    cache.set(snapshot, prepared);
  }
  lastSnapshot = snapshot;
  lastPrepared = prepared;
  return prepared;
}

function prepareEntry(key: string, raw: unknown): FlagEntry {
  try {
    return prepareFlag(key, raw);
  } catch (error) {
    return `flag "${key}" is malformed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The prepared flag `key` of `snapshot`; a string when the snapshot or the flag is malformed;
 * undefined when the snapshot has no such flag.
 */
export function lookupFlag(snapshot: unknown, key: string): FlagEntry | undefined {
  if (typeof snapshot !== "object" || snapshot === null) return "snapshot must be an object";
  const prepared = preparedSnapshot(snapshot);
  if (prepared === undefined) return "snapshot.flags must be an object";
  let entry = prepared.entries.get(key);
  if (entry === undefined) {
    if (!Object.hasOwn(prepared.flags, key)) return undefined;
    entry = prepareEntry(key, (prepared.flags as Record<string, unknown>)[key]);
    prepared.entries.set(key, entry);
  }
  return entry;
}
