// Moving a compiled snapshot from the compile thread to the thread that serves it without
// stalling the latter. A 50 000-flag snapshot is ~19 MB of JSON: parsing it in one go (or
// receiving it as one structured clone) holds the event loop for hundreds of milliseconds,
// every request waiting. So the compile thread sends the flags as JSON fragments of a bounded
// size, and the serving thread parses one fragment per turn of the event loop, letting requests
// through in between. The whole JSON body comes along too (bytes, transferred without a copy):
// GET /v1/snapshot serves it as is instead of serializing the snapshot again on the event loop.
import type { Snapshot } from "../../core/snapshot/snapshot.ts";

/** Flags per fragment: parsing one takes a millisecond or two for ordinary flags. */
const FLAGS_PER_FRAGMENT = 100;

export interface PackedSnapshot {
  header: Omit<Snapshot, "flags">;
  /** JSON objects of up to FLAGS_PER_FRAGMENT flags each, in the snapshot's key order */
  fragments: string[];
  /** UTF-8 JSON of the whole snapshot */
  body: ArrayBuffer;
}

export function packSnapshot(snapshot: Snapshot): PackedSnapshot {
  const { flags, ...header } = snapshot;
  const fragments: string[] = [];
  let members: string[] = [];
  for (const [key, flag] of Object.entries(flags)) {
    members.push(`${JSON.stringify(key)}:${JSON.stringify(flag)}`);
    if (members.length === FLAGS_PER_FRAGMENT) {
      fragments.push(`{${members.join(",")}}`);
      members = [];
    }
  }
  if (members.length > 0) fragments.push(`{${members.join(",")}}`);
  const headerJson = JSON.stringify(header);
  const flagsJson = fragments.map((fragment) => fragment.slice(1, -1)).join(",");
  const text = `${headerJson.slice(0, -1)}${headerJson.length > 2 ? "," : ""}"flags":{${flagsJson}}}`;
  const bytes = Buffer.from(text, "utf8");
  const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { header, fragments, body };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rebuilds the snapshot one fragment per event-loop turn; returns it with its serialized body. */
export async function unpackSnapshot(packed: PackedSnapshot): Promise<{ snapshot: Snapshot; body: Buffer }> {
  const flags: Snapshot["flags"] = {};
  for (const fragment of packed.fragments) {
    Object.assign(flags, JSON.parse(fragment) as Snapshot["flags"]);
    await nextTurn();
  }
  return { snapshot: { ...packed.header, flags }, body: Buffer.from(packed.body) };
}
