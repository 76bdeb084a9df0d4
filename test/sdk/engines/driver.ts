// A line-protocol driver for the local-evaluation scenario programs (drivers/): one command per
// stdin line, one JSON answer per stdout line, so one TypeScript test drives every language.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

export class Driver {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #waiting: ((line: string | undefined) => void)[] = [];
  #stderr = "";
  #ended = false;

  constructor(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.#child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    this.#child.stderr.on("data", (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-8000)));
    const lines = createInterface({ input: this.#child.stdout });
    lines.on("line", (line) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(line);
      else this.#lines.push(line);
    });
    lines.on("close", () => {
      this.#ended = true;
      for (const waiter of this.#waiting.splice(0)) waiter(undefined);
    });
  }

  /** Sends a command and returns its JSON answer; throws with the program's stderr if it died. */
  async send<T = Record<string, unknown>>(command: string, timeoutMs = 30_000): Promise<T> {
    this.#child.stdin.write(`${command}\n`);
    const line =
      this.#lines.shift() ??
      (this.#ended
        ? undefined
        : await new Promise<string | undefined>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no answer to "${command}" in ${timeoutMs} ms\n${this.#stderr}`)),
              timeoutMs,
            );
            this.#waiting.push((l) => {
              clearTimeout(timer);
              resolve(l);
            });
          }));
    if (line === undefined) throw new Error(`the driver exited before answering "${command}":\n${this.#stderr}`);
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`the driver answered "${command}" with "${line}"\n${this.#stderr}`);
    }
  }

  kill(): void {
    if (!this.#ended) this.#child.kill();
  }
}
