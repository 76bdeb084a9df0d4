// `vexil operator`: watch FeatureFlags, Segments and Experiments and keep each namespace ×
// environment's snapshot ConfigMaps, statuses, Events, audit log and webhooks up to date.
import { parseDuration } from "../../core/schema/duration.ts";
import { DEFAULT_STALE_AFTER_MS, DEFAULT_STALE_GRACE_MS } from "../../core/usage/stale.ts";
import { Command, InvalidArgumentError, Option } from "commander";
import { createCliLogger, logFormatOption, resolveLogFormat, type LogFormat } from "../logging.ts";
import { outputOption, type OutputFormat } from "../output.ts";
import { startOperator, type OperatorOptions } from "../../operator/operator.ts";
import { openEventStore } from "../../event-store/open.ts";
import { addKubeconfigOption } from "../kubeconfig-option.ts";

interface OperatorCliOptions {
  namespace: string[];
  environments: string[];
  kubeconfig?: string;
  metricsPort: number;
  metricsHost: string;
  auditLog: string[];
  leaderElect?: boolean;
  leaseDuration: number;
  renewDeadline: number;
  retryPeriod: number;
  operatorNamespace?: string;
  webhookConfig?: string;
  webhookSecret?: string;
  workers: number;
  writeQps: number;
  writeBurst: number;
  statusConcurrency: number;
  logLevel: string;
  eventsDatabase?: string;
  analysisInterval: number;
  staleAfter: number;
  staleGrace: number;
  logFormat?: LogFormat;
  output: OutputFormat;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function collectNamespaces(value: string, previous: string[]): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!NAME.test(name)) throw new InvalidArgumentError(`"${name}" is not a valid namespace name`);
  }
  return [...previous, ...names];
}

function parseEnvironments(value: string): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError("name at least one environment, e.g. production,staging");
  for (const name of names) {
    if (!NAME.test(name) || name.length > 63)
      throw new InvalidArgumentError(`"${name}" is not a valid environment name (lowercase letters, digits, '-')`);
  }
  return [...new Set(names)];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError(`expected a port 0-65535, got "${text}"`);
  return port;
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${text}"`);
  return seconds * 1000;
}

function parseDays(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(`expected a duration such as 30d or 12h, got "${text}"`);
  return ms;
}

/** Seconds on the command line and in --help; milliseconds inside. */
function secondsOption(flags: string, description: string, seconds: number): Option {
  return new Option(flags, description).argParser(parseSeconds).default(seconds * 1000, String(seconds));
}

function parseWorkers(text: string): number {
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new InvalidArgumentError(`expected 1-64 workers, got "${text}"`);
  return workers;
}

function parseCount(max: number): (text: string) => number {
  return (text) => {
    const count = Number(text);
    if (!Number.isInteger(count) || count < 1 || count > max)
      throw new InvalidArgumentError(`expected an integer 1-${max}, got "${text}"`);
    return count;
  };
}

function parseQps(text: string): number {
  const qps = Number(text);
  if (!Number.isFinite(qps) || qps < 0)
    throw new InvalidArgumentError(`expected requests per second ≥ 0 (0 = unlimited), got "${text}"`);
  return qps;
}

export function toOperatorOptions(cli: OperatorCliOptions): OperatorOptions {
  if (cli.leaderElect && cli.renewDeadline >= cli.leaseDuration) {
    throw new InvalidArgumentError("--renew-deadline must be shorter than --lease-duration");
  }
  return {
    ...(cli.kubeconfig ? { kubeconfig: cli.kubeconfig } : {}),
    ...(cli.namespace.length > 0 ? { namespaces: cli.namespace } : {}),
    environments: cli.environments,
    metricsPort: cli.metricsPort,
    metricsHost: cli.metricsHost,
    ...(cli.auditLog.length > 0 ? { auditLog: cli.auditLog } : {}),
    leaderElect: Boolean(cli.leaderElect),
    leaseDurationMs: cli.leaseDuration,
    renewDeadlineMs: cli.renewDeadline,
    retryPeriodMs: cli.retryPeriod,
    ...(cli.operatorNamespace ? { operatorNamespace: cli.operatorNamespace } : {}),
    ...(cli.webhookConfig ? { webhookConfigMap: cli.webhookConfig } : {}),
    ...(cli.webhookSecret ? { webhookSecret: cli.webhookSecret } : {}),
    workers: cli.workers,
    writeRateLimit: { qps: cli.writeQps, burst: cli.writeBurst },
    statusConcurrency: cli.statusConcurrency,
    analysisIntervalMs: cli.analysisInterval,
    staleAfterMs: cli.staleAfter,
    staleGraceMs: cli.staleGrace,
  };
}

async function run(cli: OperatorCliOptions): Promise<void> {
  // stderr, so stdout stays free for `--audit-log -`
  const logger = createCliLogger("vexil-operator", cli.logLevel, resolveLogFormat(cli, 2), 2);
  let operator;
  const eventStore = cli.eventsDatabase ? openEventStore(cli.eventsDatabase) : undefined;
  try {
    operator = await startOperator({ ...toOperatorOptions(cli), logger, ...(eventStore ? { eventStore } : {}) });
    if (eventStore)
      logger.info({ store: eventStore.description }, "experiment results are analysed from the event store");
    else logger.info("no --events-database: Experiment statuses get no results");
  } catch (error) {
    process.stderr.write(`vexil operator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: releasing the lease and stopping watches");
    operator
      .stop()
      .then(() => eventStore?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: String(error) }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

export function registerOperator(program: Command): void {
  const command = program
    .command("operator")
    .description("reconcile FeatureFlags, Segments and Experiments into per-environment snapshot ConfigMaps")
    .option(
      "-n, --namespace <ns>",
      "watch only this namespace (repeat or comma-separate; default: all namespaces)",
      collectNamespaces,
      [],
    )
    .option("--environments <list>", "environments to compile, comma-separated", parseEnvironments, ["production"]);
  addKubeconfigOption(command)
    .option("--metrics-port <port>", "port for /metrics, /healthz and /readyz", parsePort, 8081)
    .option("--metrics-host <host>", "address to listen on", "0.0.0.0")
    .option(
      "--audit-log <file>",
      'append the JSON-lines audit trail (lines marked "audit": true) to this file, "-" for stdout; repeat for both. Events are always recorded',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--leader-elect", "run as one of several replicas: only the holder of the Lease reconciles")
    .addOption(secondsOption("--lease-duration <seconds>", "leader lease duration", 15))
    .addOption(
      secondsOption("--renew-deadline <seconds>", "a leader that could not renew for this long steps down", 10),
    )
    .addOption(secondsOption("--retry-period <seconds>", "how often candidates try and leaders renew", 2))
    .option(
      "--operator-namespace <ns>",
      "namespace of the Lease and webhook configuration (default: the pod's namespace, else default)",
    )
    .option("--webhook-config <name>", "ConfigMap with endpoints.yaml (default vexil-webhooks)")
    .option("--webhook-secret <name>", 'Secret with the signing key under "secret" (default vexil-webhook-secret)')
    .option("--workers <n>", "namespace × environment keys reconciled in parallel", parseWorkers, 2)
    .option(
      "--write-qps <n>",
      "status patches and Events per second, sustained (0 = unlimited; snapshot writes are never throttled)",
      parseQps,
      200,
    )
    .option(
      "--write-burst <n>",
      "status patches and Events allowed at once after a quiet period",
      parseCount(100_000),
      400,
    )
    .option("--status-concurrency <n>", "status patches in flight at once", parseCount(256), 32)
    .option(
      "--events-database <url|file>",
      "the event store the evaluators write to (postgres://… in clusters): the leader writes Experiment results into status",
    )
    .addOption(
      secondsOption("--analysis-interval <seconds>", "how often the leader analyses experiments and flag usage", 60),
    )
    .addOption(
      new Option("--stale-after <duration>", "a flag not evaluated this long is Stale (spec.staleAfter wins)")
        .argParser(parseDays)
        .default(DEFAULT_STALE_AFTER_MS, "30d"),
    )
    .addOption(
      new Option("--stale-grace <duration>", "a new flag never evaluated is Stale after this")
        .argParser(parseDays)
        .default(DEFAULT_STALE_GRACE_MS, "7d"),
    )
    .option("--log-level <level>", "trace, debug, info, warn, error", process.env.LOG_LEVEL ?? "info")
    .addOption(logFormatOption())
    .addOption(outputOption("human", "human or json: json is --log-format json"))
    .action(async (options: OperatorCliOptions) => {
      await run(options);
    });
}
