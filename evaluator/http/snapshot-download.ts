// GET /v1/snapshot: one serialized body per snapshot version, shared by every request. The JSON
// is produced once, gzip and brotli forms once each (on zlib's thread pool, off the event loop),
// and every response writes a reference to the same Buffer: a client that never reads holds a
// socket, not a copy of the snapshot. Downloads in flight are capped (429 + Retry-After past
// the cap) and each must finish within SNAPSHOT_DOWNLOAD_TIMEOUT_MS.
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { Logger } from "../logger.ts";
import { SNAPSHOT_DOWNLOAD_TIMEOUT_MS } from "../limits.ts";
import { serializedSnapshot } from "../sources/serialized-snapshots.ts";
import { etagMatches, snapshotEtag } from "./etag.ts";
import { sendError } from "./errors.ts";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type ContentCoding = "br" | "gzip" | "identity";

/** Bodies below this size are sent as they are: compressing them saves nothing worth a round trip. */
const COMPRESS_FROM_BYTES = 1024;

/** The coding to send for an Accept-Encoding header: br, then gzip, then identity (q=0 refuses one). */
export function chooseCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return "identity";
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name.trim(), q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const weight = (coding: string) => accepted.get(coding) ?? accepted.get("*") ?? 0;
  if (weight("br") > 0) return "br";
  if (weight("gzip") > 0) return "gzip";
  return "identity";
}

/** One snapshot version's body in each coding; compressed forms are made once, on first request. */
class SnapshotBody {
  readonly etag: string;
  readonly identity: Buffer;
  readonly #compressed = new Map<Exclude<ContentCoding, "identity">, Promise<Buffer>>();

  constructor(snapshot: Snapshot) {
    this.etag = snapshotEtag(snapshot.hash);
    this.identity = serializedSnapshot(snapshot);
  }

  async body(coding: ContentCoding): Promise<Buffer> {
    if (coding === "identity" || this.identity.length < COMPRESS_FROM_BYTES) return this.identity;
    let pending = this.#compressed.get(coding);
    if (pending === undefined) {
      pending =
        coding === "gzip"
          ? gzipAsync(this.identity, { level: 6 })
          : brotliAsync(this.identity, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 5,
                [constants.BROTLI_PARAM_SIZE_HINT]: this.identity.length,
              },
            });
      this.#compressed.set(coding, pending);
    }
    return pending;
  }
}

export class SnapshotDownloads {
  readonly #maxInFlight: number;
  readonly #logger: Logger;
  #inFlight = 0;
  #snapshot: Snapshot | undefined;
  #body: SnapshotBody | undefined;

  constructor(options: { maxInFlight: number; logger: Logger }) {
    this.#maxInFlight = options.maxInFlight;
    this.#logger = options.logger;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** The shared body of `snapshot` (the previous version's is released when a new one is asked for). */
  #bodyOf(snapshot: Snapshot): SnapshotBody {
    if (this.#snapshot !== snapshot || this.#body === undefined) {
      this.#snapshot = snapshot;
      this.#body = new SnapshotBody(snapshot);
    }
    return this.#body;
  }

  async handle(req: IncomingMessage, res: ServerResponse, snapshot: Snapshot): Promise<void> {
    const shared = this.#bodyOf(snapshot);
    res.setHeader("ETag", shared.etag);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Vary", "Accept-Encoding");
    if (etagMatches(req.headers["if-none-match"], shared.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    if (this.#inFlight >= this.#maxInFlight) {
      res.setHeader("Retry-After", "2");
      const message = `${this.#maxInFlight} snapshot downloads are in progress; retry shortly`;
      sendError(res, 429, "TOO_MANY_REQUESTS", message);
      return;
    }
    this.#inFlight++;
    const socket = res.socket;
    const release = once(() => {
      this.#inFlight--;
      clearTimeout(deadline);
    });
    const deadline = setTimeout(() => {
      this.#logger.warn({ url: req.url }, "snapshot download cut: not finished in time (a client not reading)");
      socket?.destroy();
      release();
    }, SNAPSHOT_DOWNLOAD_TIMEOUT_MS);
    deadline.unref();
    if (socket === null) return release();
    socket.once("close", release);
    const coding = chooseCoding(req.headers["accept-encoding"] as string | undefined);
    const body = await shared.body(coding);
    if (res.destroyed) return release();
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    if (body !== shared.identity) res.setHeader("Content-Encoding", coding);
    res.setHeader("Content-Length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
    // the response "finishes" once the body is queued on the socket; the download is in flight
    // until the socket has written it all out (or closes)
    if (socket.writableLength === 0) release();
    else socket.once("drain", release);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
