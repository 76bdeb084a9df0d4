// Logs for the long-running commands (serve, operator): readable lines on a terminal, JSON lines
// (one object per line, what log pipelines parse) when the output is not a terminal or when
// `--log-format json` (or `--output json`) asks for them.
import { Option } from "commander";
import { pino, type Logger } from "pino";
import { PinoPretty } from "pino-pretty";

export type LogFormat = "pretty" | "json";

export function logFormatOption(): Option {
  return new Option("--log-format <format>", "pretty (default on a terminal) or json (default otherwise)").choices([
    "pretty",
    "json",
  ]);
}

/** The format in force: explicit --log-format, else json when --output json, else by terminal. */
export function resolveLogFormat(options: { logFormat?: LogFormat; output?: string }, fd: 1 | 2): LogFormat {
  if (options.logFormat) return options.logFormat;
  if (options.output === "json") return "json";
  const stream = fd === 1 ? process.stdout : process.stderr;
  return stream.isTTY ? "pretty" : "json";
}

/** A pino logger writing to fd 1 or 2; pretty-printing runs in-process (no worker thread). */
export function createCliLogger(service: string, level: string, format: LogFormat, fd: 1 | 2): Logger {
  const options = { level, base: { service } };
  if (format === "json") return pino(options, pino.destination(fd));
  const colorize = Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
  const pretty = PinoPretty({ destination: fd, colorize, ignore: "pid,hostname,service", sync: true });
  return pino(options, pretty);
}
