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
 * The evaluator's resident memory ceiling, measured by `npm run bench:memory` (docs/limits.md,
 * "Memory"): a base, a cost per flag served, per open connection and per event stream, plus
 * the bounded buffers (events waiting for the store, unsent stream backlog, one reload's peak).
 */
export const MEMORY_CEILING = {
  /** Node.js, the libraries, the reload thread's start, and 16 MiB of events waiting for the store */
  baseMiB: 216,
  /** the snapshot, its serialized and compressed bodies, the last good texts, a reload's peak */
  perFlagKiB: 16,
  /** a socket's buffers and its request state */
  perConnectionKiB: 24,
  /** the unsent backlog a stream may hold before it is dropped (64 KiB, evaluator/http/stream.ts) */
  perStreamKiB: 64,
} as const;

export function memoryCeilingMiB(load: { flags: number; connections: number; streams: number }): number {
  const c = MEMORY_CEILING;
  return (
    c.baseMiB +
    (load.flags * c.perFlagKiB + load.connections * c.perConnectionKiB + load.streams * c.perStreamKiB) / 1024
  );
}
