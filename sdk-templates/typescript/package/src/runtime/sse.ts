// Server-sent events from the evaluator's /v1/stream, read block by block: both the remote
// provider's change watcher and local evaluation's snapshot follower read the same stream.

export interface StreamEvent {
  /** the event's name ("message" when it has none) */
  event: string;
  /** its data lines, joined with newlines */
  data: string;
  /** the server's reconnection hint in ms, when the block carries one */
  retryMs?: number;
}

/** Calls onEvent for every event block of the body until the stream ends. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: StreamEvent) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      onEvent(parseBlock(block));
    }
  }
}

function parseBlock(block: string): StreamEvent {
  const parsed: StreamEvent = { event: "message", data: "" };
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("event:")) parsed.event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    else if (line.startsWith("retry:")) {
      const retry = Number(line.slice(6).trim());
      if (retry > 0) parsed.retryMs = retry;
    }
  }
  parsed.data = data.join("\n");
  return parsed;
}

/** The snapshot hash a `snapshot` event names, if it is one. */
export function snapshotHashOf(event: StreamEvent): string | undefined {
  if (event.event !== "snapshot" || event.data === "") return undefined;
  try {
    const hash = (JSON.parse(event.data) as { hash?: unknown }).hash;
    return typeof hash === "string" ? hash : undefined;
  } catch {
    return undefined; // a malformed event is ignored; the next one carries the hash again
  }
}

/** Resolves after ms, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
