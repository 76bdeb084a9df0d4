// The JSON body of a snapshot, when whoever built the snapshot already had it (the compile
// thread serializes it once, off the event loop). GET /v1/snapshot serves these bytes instead of
// serializing the snapshot again. Weakly held: a replaced snapshot's body goes with it.
import type { Snapshot } from "../../core/snapshot/snapshot.ts";

const bodies = new WeakMap<Snapshot, Buffer>();

export function rememberSerialized(snapshot: Snapshot, body: Buffer): void {
  bodies.set(snapshot, body);
}

/** The snapshot's JSON: the remembered bytes, or serialized now. */
export function serializedSnapshot(snapshot: Snapshot): Buffer {
  return bodies.get(snapshot) ?? Buffer.from(JSON.stringify(snapshot), "utf8");
}
