// Structured JSON logs (pino) to stderr, so stdout stays free for `--audit-log -`.
import { pino } from "pino";

export type OperatorLogger = pino.Logger;

export function createOperatorLogger(level: string = process.env.LOG_LEVEL ?? "info"): OperatorLogger {
  return pino({ level, base: { service: "vexil-operator" } }, pino.destination(2));
}

export function silentOperatorLogger(): OperatorLogger {
  return pino({ level: "silent" });
}
