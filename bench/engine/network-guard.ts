// The engine benchmark is in-process: no system may open a socket or send an HTTP request
// while it runs (peers are configured offline; this proves it rather than trusting it).
import { subscribe } from "node:diagnostics_channel";

const attempts: string[] = [];

function record(kind: string) {
  return (message: unknown) => {
    const m = message as {
      socket?: { remoteAddress?: string };
      request?: { origin?: string; path?: string; host?: string };
    };
    const where = m.request?.origin ?? m.request?.host ?? m.socket?.remoteAddress ?? "unknown";
    attempts.push(`${kind} → ${where}`);
  };
}

export function guardNetwork(): void {
  subscribe("net.client.socket", record("socket"));
  subscribe("http.client.request.start", record("http request"));
  subscribe("undici:request:create", record("fetch"));
}

/** What was attempted since {@link guardNetwork}; empty when the run stayed offline. */
export function networkAttempts(): readonly string[] {
  return attempts;
}
