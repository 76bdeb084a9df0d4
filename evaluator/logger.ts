// Structured JSON logs (pino). The evaluator is silent unless given a logger, so tests and
// embedders stay quiet; the CLI passes a real one.
import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: { service: "vexil-evaluator" } });
}

export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
