// GET /v1/stream: server-sent events telling local-evaluation SDKs when to refetch the snapshot.
// A client gets the current version at once, then one `snapshot` event per change, and a
// comment line every heartbeat so proxies keep the connection open. The retry hint is jittered
// so a fleet of SDKs reconnecting after an evaluator restart does not arrive in one burst.
import type { Request, Response } from "express";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EvaluatorMetrics } from "../metrics.ts";
import { sendError } from "./errors.ts";

const MAX_UNSENT_BYTES = 64 * 1024;

export class SnapshotStream {
  readonly #clients = new Set<Response>();
  readonly #heartbeatMs: number;
  readonly #metrics: EvaluatorMetrics;
  readonly #maxClients: number;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: { heartbeatMs: number; metrics: EvaluatorMetrics; maxClients: number }) {
    this.#heartbeatMs = options.heartbeatMs;
    this.#metrics = options.metrics;
    this.#maxClients = options.maxClients;
  }

  get size(): number {
    return this.#clients.size;
  }

  handle(req: Request, res: Response, current: Snapshot | undefined): void {
    if (this.#clients.size >= this.#maxClients) {
      res.setHeader("Retry-After", String(5 + Math.floor(Math.random() * 10)));
      sendError(res, 429, "TOO_MANY_REQUESTS", `${this.#maxClients} change streams are open; retry later`);
      return;
    }
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("Connection", "keep-alive");
    res.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
    res.flushHeaders();
    res.write(`retry: ${1000 + Math.floor(Math.random() * 4000)}\n\n`);
    if (current) res.write(snapshotEvent(current));
    this.#clients.add(res);
    this.#metrics.streamClients.set(this.#clients.size);
    this.#startHeartbeat();
    req.on("close", () => this.#remove(res));
  }

  broadcast(snapshot: Snapshot): void {
    const event = snapshotEvent(snapshot);
    for (const client of this.#clients) this.#send(client, event);
  }

  /** A client that stopped reading is dropped once its unsent events pass 64 KiB: its buffer stays bounded. */
  #send(client: Response, text: string): void {
    if (client.writableLength > MAX_UNSENT_BYTES) client.destroy();
    else client.write(text);
  }

  /** End every stream (graceful drain): clients reconnect to another replica. */
  closeAll(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    this.#metrics.streamClients.set(0);
    this.#stopHeartbeat();
  }

  #remove(res: Response): void {
    this.#clients.delete(res);
    this.#metrics.streamClients.set(this.#clients.size);
    if (this.#clients.size === 0) this.#stopHeartbeat();
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) this.#send(client, ": heartbeat\n\n");
    }, this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}

function snapshotEvent(snapshot: Snapshot): string {
  return `event: snapshot\nid: ${snapshot.hash}\ndata: ${JSON.stringify({ hash: snapshot.hash })}\n\n`;
}
