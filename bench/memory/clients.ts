// Clients that hold the evaluator's resources without asking much: idle keep-alive connections,
// event streams, and snapshot downloads that are never read. The memory benchmark and the soak
// test open them in counted numbers and close them all at the end.
import { connect, type Socket } from "node:net";

export interface HeldClients {
  readonly sockets: Socket[];
  close(): void;
}

function held(sockets: Socket[]): HeldClients {
  return {
    sockets,
    close: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Opens a connection, writes `request`, and resolves once the server has sent anything (or after 2 s). */
function openWith(port: number, request: string, paused: boolean): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    const done = () => resolve(socket);
    socket.once("connect", () => {
      socket.write(request);
      if (paused) {
        // a client that never reads: the first bytes arrive, then TCP's window fills up
        socket.once("readable", () => {
          socket.pause();
          done();
        });
      } else socket.once("data", done);
      setTimeout(done, 2000).unref();
    });
    socket.once("close", done);
  });
}

async function openMany(count: number, open: () => Promise<Socket>, parallel = 100): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, open);
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Keep-alive connections that made one request and then sit idle. */
export async function idleConnections(port: number, count: number): Promise<HeldClients> {
  const request = "GET /healthz HTTP/1.1\r\nHost: vexil\r\nConnection: keep-alive\r\n\r\n";
  return held(await openMany(count, () => openWith(port, request, false)));
}

/** Followers of GET /v1/stream (the SDKs' change notification). */
export async function streamClients(port: number, count: number): Promise<HeldClients> {
  const request = "GET /v1/stream HTTP/1.1\r\nHost: vexil\r\nAccept: text/event-stream\r\n\r\n";
  return held(await openMany(count, () => openWith(port, request, false)));
}

/** GET /v1/snapshot requests whose answers are never read. */
export async function stalledSnapshotDownloads(port: number, count: number): Promise<HeldClients> {
  const request = "GET /v1/snapshot HTTP/1.1\r\nHost: vexil\r\nAccept-Encoding: identity\r\n\r\n";
  return held(await openMany(count, () => openWith(port, request, true), 10));
}
