import { describe, expect, it } from "vitest";
import {
  ENVIRONMENT_LABEL,
  HASH_ANNOTATION,
  INDEX_KEY,
  ROLE_LABEL,
  SHARD_KEY,
  SnapshotDecodeError,
  decodeSnapshot,
  encodeSnapshot,
} from "../../../core/snapshot/configmap-format.ts";
import { snapshotHash } from "../../../core/snapshot/hash.ts";
import { booleanFlag, snapshotOf } from "./snapshot-fixture.ts";

/** a flag whose JSON is roughly `bytes` long, through a big target list */
function bulkyFlag(key: string, bytes: number) {
  const users = Array.from({ length: Math.ceil(bytes / 20) }, (_, i) => [`user-${key}-${i}`.padEnd(12, "x"), "on"]);
  return booleanFlag(key, { targets: Object.fromEntries(users), hasTargeting: true });
}

describe("encodeSnapshot", () => {
  it("writes an index naming its shards, with environment and role labels", () => {
    const snapshot = snapshotOf([booleanFlag("a"), booleanFlag("b")], "staging");
    const { index, shards } = encodeSnapshot(snapshot);
    expect(index.name).toBe("vexil-snapshot-staging");
    expect(index.labels).toEqual({ [ENVIRONMENT_LABEL]: "staging", [ROLE_LABEL]: "index" });
    expect(shards.map((s) => s.name)).toEqual(["vexil-snapshot-staging-0"]);
    expect(shards[0]?.labels[ROLE_LABEL]).toBe("shard");
    const parsed = JSON.parse(index.data[INDEX_KEY] as string);
    expect(parsed).toEqual({
      schemaVersion: 1,
      hash: snapshot.hash,
      shards: ["vexil-snapshot-staging-0"],
      namespace: "shop",
      environment: "staging",
    });
    expect(index.annotations[HASH_ANNOTATION]).toBe(snapshot.hash);
  });

  it("splits flags across shards that each stay under the byte limit", () => {
    const flags = Array.from({ length: 12 }, (_, i) => bulkyFlag(`flag-${String(i).padStart(2, "0")}`, 20_000));
    const snapshot = snapshotOf(flags);
    const { shards } = encodeSnapshot(snapshot, { maxShardBytes: 64 * 1024 });
    expect(shards.length).toBeGreaterThan(3);
    for (const shard of shards)
      expect(Buffer.byteLength(shard.data[SHARD_KEY] as string)).toBeLessThanOrEqual(64 * 1024);
    const keys = shards.flatMap((s) => Object.keys(JSON.parse(s.data[SHARD_KEY] as string)));
    expect(keys).toEqual(flags.map((f) => f.key));
  });

  it("keeps the default shard size under 700 KiB for a large snapshot", () => {
    const flags = Array.from({ length: 30 }, (_, i) => bulkyFlag(`big-${i}`, 100_000));
    const { shards } = encodeSnapshot(snapshotOf(flags));
    expect(shards.length).toBeGreaterThan(1);
    for (const shard of shards)
      expect(Buffer.byteLength(shard.data[SHARD_KEY] as string)).toBeLessThanOrEqual(700 * 1024);
  });

  it("refuses a single flag larger than a shard, naming it", () => {
    const snapshot = snapshotOf([bulkyFlag("huge", 50_000)]);
    expect(() => encodeSnapshot(snapshot, { maxShardBytes: 10_000 })).toThrow(
      /flag "huge" needs \d+ bytes of JSON, more than the 10000-byte/,
    );
  });

  it("writes one empty shard for a snapshot without flags", () => {
    const { shards } = encodeSnapshot(snapshotOf([]));
    expect(shards).toHaveLength(1);
    expect(shards[0]?.data[SHARD_KEY]).toBe("{}");
  });
});

describe("decodeSnapshot", () => {
  it("round-trips a sharded snapshot, nextChangeAt included", () => {
    const flags = Array.from({ length: 8 }, (_, i) => bulkyFlag(`f${i}`, 10_000));
    const snapshot = { ...snapshotOf(flags), nextChangeAt: "2030-01-01T00:00:00.000Z" };
    const { index, shards } = encodeSnapshot(snapshot, { maxShardBytes: 32 * 1024 });
    expect(shards.length).toBeGreaterThan(1);
    expect(decodeSnapshot(index, [...shards].reverse())).toEqual(snapshot);
  });

  it("reads client-node ConfigMaps, which carry the name in metadata", () => {
    const snapshot = snapshotOf([booleanFlag("a")]);
    const { index, shards } = encodeSnapshot(snapshot);
    const asV1 = (cm: (typeof shards)[number]) => ({ metadata: { name: cm.name, labels: cm.labels }, data: cm.data });
    expect(decodeSnapshot(asV1(index), shards.map(asV1)).hash).toBe(snapshot.hash);
  });

  it("rejects a half-written set whose shards do not hash to the index", () => {
    const before = encodeSnapshot(snapshotOf([booleanFlag("a")]));
    const after = encodeSnapshot(snapshotOf([booleanFlag("a", { enabled: false })]));
    // new shards written, index not yet updated
    expect(() => decodeSnapshot(before.index, after.shards)).toThrow(SnapshotDecodeError);
    expect(() => decodeSnapshot(before.index, after.shards)).toThrow(/the set is half-written/);
  });

  it("rejects an index naming a shard that does not exist", () => {
    const { index } = encodeSnapshot(snapshotOf([booleanFlag("a")]));
    expect(() => decodeSnapshot(index, [])).toThrow("shard vexil-snapshot-production-0 named by the index is missing");
  });

  it("rejects an index that is not valid JSON or misses fields", () => {
    expect(() => decodeSnapshot({ name: "idx", data: { [INDEX_KEY]: "{" } }, [])).toThrow(
      /idx\/index.json is not valid JSON/,
    );
    expect(() => decodeSnapshot({ name: "idx", data: {} }, [])).toThrow("idx has no index.json");
    const noHash = JSON.stringify({ schemaVersion: 1, shards: [], namespace: "a", environment: "b" });
    expect(() => decodeSnapshot({ name: "idx", data: { [INDEX_KEY]: noHash } }, [])).toThrow(
      /idx\/index.json is invalid: .*hash/s,
    );
  });

  it("rejects a shard that is not an object of flags", () => {
    const { index, shards } = encodeSnapshot(snapshotOf([booleanFlag("a")]));
    const broken = { name: shards[0]!.name, data: { [SHARD_KEY]: "[1,2]" } };
    expect(() => decodeSnapshot(index, [broken])).toThrow(
      "vexil-snapshot-production-0/flags.json must be a JSON object of flags",
    );
  });

  it("keeps flag keys as own properties of a plain object", () => {
    const { index, shards } = encodeSnapshot(snapshotOf([booleanFlag("a"), booleanFlag("b")]));
    const decoded = decodeSnapshot(index, shards);
    expect(Object.keys(decoded.flags)).toEqual(["a", "b"]);
    expect(Object.getPrototypeOf(decoded.flags)).toBe(Object.prototype);
  });
});

describe("snapshotHash", () => {
  it("does not depend on key order, and changes with any flag field", () => {
    const a = snapshotOf([booleanFlag("x"), booleanFlag("y")]);
    const reordered = { ...a, flags: { y: a.flags.y!, x: a.flags.x! } };
    expect(snapshotHash(reordered)).toBe(a.hash);
    expect(snapshotHash(snapshotOf([booleanFlag("x"), booleanFlag("y", { killSwitch: true })]))).not.toBe(a.hash);
  });

  it("covers namespace and environment but not nextChangeAt", () => {
    const a = snapshotOf([booleanFlag("x")]);
    expect(snapshotHash({ ...a, environment: "staging" })).not.toBe(a.hash);
    expect(snapshotHash({ ...a, nextChangeAt: "2030-01-01T00:00:00Z" } as typeof a)).toBe(a.hash);
  });
});
