// GET /v1/stream: server-sent events telling local-evaluation SDKs when to refetch the snapshot.
// A client gets the current version at once, then one `snapshot` event per change, and a
// comment line every heartbeat so proxies keep the connection open. The retry hint is jittered
// so a fleet of SDKs reconnecting after an evaluator restart does not arrive in one burst.
import type { Request, Response } from "express";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EvaluatorMetrics } from "../metrics.ts";

export class SnapshotStream {
  readonly #clients = new Set<Response>();
  readonly #heartbeatMs: number;
  readonly #metrics: EvaluatorMetrics;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: { heartbeatMs: number; metrics: EvaluatorMetrics }) {
    this.#heartbeatMs = options.heartbeatMs;
    this.#metrics = options.metrics;
  }

  get size(): number {
    return this.#clients.size;
  }

  handle(req: Request, res: Response, current: Snapshot | undefined): void {
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
    for (const client of this.#clients) client.write(event);
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
      for (const client of this.#clients) client.write(": heartbeat\n\n");
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
