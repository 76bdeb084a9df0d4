// The evaluator's bounds on what clients can make it hold or wait for. Each is documented in
// docs/limits.md (a test compares the numbers) and most can be changed with a `vexil serve` option.

/** A request's headers and body must arrive within this time, or the answer is 408 (slowloris). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** How often node:http checks for requests past their timeout. */
export const REQUEST_TIMEOUT_CHECK_MS = 1_000;

/** Snapshot downloads (GET /v1/snapshot bodies) in flight at once; past this, 429 with Retry-After. */
export const DEFAULT_MAX_SNAPSHOT_DOWNLOADS = 32;

/** A snapshot download still unfinished after this long is cut (a client that never reads). */
export const SNAPSHOT_DOWNLOAD_TIMEOUT_MS = 60_000;

/** Server-sent-event clients (GET /v1/stream) at once; past this, 429 with Retry-After. */
export const DEFAULT_MAX_STREAM_CLIENTS = 1_000;

/** Open connections at once (node:http maxConnections); further ones are refused at accept. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/**
 * Memory (docs/limits.md, "Memory", measured by `npm run bench:memory`). V8 lets garbage pile up
 * while the machine has memory to spare, so resident memory is only bounded once the heap is:
 * give V8 the heap `heapLimitMiB` recommends (the Helm chart derives it from the container's
 * memory limit) and resident memory stays under `memoryCeilingMiB`.
 */
export const MEMORY = {
  /** heap: Node.js, the libraries, the event buffer and request state */
  heapBaseMiB: 128,
  /** heap: the snapshot, the last good texts, a reload's working set */
  heapPerFlagKiB: 12,
  /** outside the heap: code, the reload and SQLite writer threads, snapshot bodies, SQLite's cache */
  outsideHeapMiB: 256,
  /** a socket's buffers and its request state */
  perConnectionKiB: 24,
  /** the unsent backlog a stream may hold before it is dropped (64 KiB, evaluator/http/stream.ts) */
  perStreamKiB: 64,
} as const;

/** The heap limit (--max-old-space-size) for serving `flags` flags. */
export function heapLimitMiB(flags: number): number {
  return Math.ceil(MEMORY.heapBaseMiB + (flags * MEMORY.heapPerFlagKiB) / 1024);
}

/** Resident memory never exceeds this with the recommended heap limit and this many clients. */
export function memoryCeilingMiB(load: { flags: number; connections: number; streams: number }): number {
  const clients = load.connections * MEMORY.perConnectionKiB + load.streams * MEMORY.perStreamKiB;
  return heapLimitMiB(load.flags) + MEMORY.outsideHeapMiB + clients / 1024;
}
