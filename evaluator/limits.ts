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
