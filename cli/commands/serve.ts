// `vexil serve`: the evaluator. From a directory of YAML (the embedded default) or, with
// --kubernetes, from the snapshot ConfigMaps the operator writes.
import { Command, InvalidArgumentError } from "commander";
import { readTokenFile } from "../../evaluator/auth.ts";
import { parseByteSize } from "../../evaluator/byte-size.ts";
import type { Logger } from "../../evaluator/logger.ts";
import { createEvaluatorServer } from "../../evaluator/server.ts";
import {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_SNAPSHOT_DOWNLOADS,
  DEFAULT_MAX_STREAM_CLIENTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "../../evaluator/limits.ts";
import { DirectorySnapshotSource } from "../../evaluator/sources/directory.ts";
import type { SnapshotSource } from "../../evaluator/sources/source.ts";
import type { EventStore } from "../../event-store/store.ts";
import { EVENTS_DATABASE_HELP, openEventsDatabase, storeExperiments } from "../events-database.ts";
import { addKubeconfigOption } from "../kubeconfig-option.ts";
import { loadForEnvironment } from "../flags-input.ts";
import { createCliLogger, logFormatOption, resolveLogFormat, type LogFormat } from "../logging.ts";
import { ExitCode, outputOption, UsageError, type OutputFormat } from "../output.ts";

interface ServeOptions {
  flags?: string;
  kubernetes?: boolean;
  kubeconfig?: string;
  env?: string;
  environment?: string;
  namespace: string;
  port: number;
  host: string;
  authTokenFile?: string;
  maxBody: number;
  poll?: number;
  waitForFlags?: boolean;
  logLevel: string;
  eventsDatabase?: string;
  /** false with --no-events */
  events: boolean;
  requestTimeout: number;
  maxSnapshotDownloads: number;
  maxStreamClients: number;
  maxConnections: number;
  logFormat?: LogFormat;
  output: OutputFormat;
}

function positiveInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${text}"`);
  return n;
}

function byteSize(text: string): number {
  try {
    return parseByteSize(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port number 0-65535 (0 picks a free port), got "${text}"`);
  }
  return port;
}

function parseInterval(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50)
    throw new InvalidArgumentError(`expected milliseconds (at least 50), got "${text}"`);
  return ms;
}

async function createSource(options: ServeOptions, logger: Logger, store?: EventStore): Promise<SnapshotSource> {
  const environment = options.environment ?? options.env ?? "production";
  const { namespace } = options;
  if (options.kubernetes) {
    if (options.flags) throw new UsageError("use either --flags DIR or --kubernetes, not both");
    // imported only here: the Kubernetes client costs ~80 MiB of memory in directory mode
    const { KubernetesSnapshotSource } = await import("../../evaluator/sources/kubernetes.ts");
    return new KubernetesSnapshotSource({ kubeconfig: options.kubeconfig, namespace, environment, logger });
  }
  if (!options.flags)
    throw new UsageError("say where the flags are: --flags DIR, or --kubernetes to read the operator's ConfigMaps");
  const onExperiments = (experiments: Parameters<typeof storeExperiments>[2]) => {
    if (!store) return;
    storeExperiments(store, namespace, experiments).catch((error: unknown) =>
      logger.warn({ err: (error as Error).message, store: store.description }, "storing experiment definitions failed"),
    );
  };
  return new DirectorySnapshotSource({
    dir: options.flags,
    namespace,
    environment,
    logger,
    pollMs: options.poll,
    onExperiments,
  });
}

async function serve(options: ServeOptions, logger: Logger): Promise<void> {
  // a typo in --flags or --env would otherwise serve nothing, forever: say so at start, before
  // anything is opened or created
  if (options.flags && !options.kubernetes && !options.waitForFlags)
    await loadForEnvironment(options.flags, options.environment ?? options.env ?? "production");
  const eventStore = options.events
    ? openEventsDatabase(options.eventsDatabase, options.kubernetes ? undefined : options.flags)
    : undefined;
  if (!eventStore) logger.warn("no event store: experiment events are ignored and no exposures are recorded");
  const source = await createSource(options, logger, eventStore);
  const authTokens = options.authTokenFile ? await readTokenFile(options.authTokenFile) : undefined;
  const maxBodyBytes = options.maxBody;
  const evaluator = createEvaluatorServer({
    source,
    authTokens,
    maxBodyBytes,
    logger,
    eventStore,
    requestTimeoutMs: options.requestTimeout,
    maxSnapshotDownloads: options.maxSnapshotDownloads,
    maxStreamClients: options.maxStreamClients,
    maxConnections: options.maxConnections,
  });
  await source.start();
  if (!source.current())
    logger.warn({ source: source.description }, "no valid snapshot yet; /readyz answers 503 until one loads");
  const running = await evaluator.listen(options.port, options.host).catch(async (error: unknown) => {
    await source.stop();
    throw error;
  });
  logger.info(
    {
      address: `http://${options.host}:${running.port}`,
      port: running.port,
      source: source.description,
      events: eventStore?.description ?? "none",
      auth: Boolean(authTokens),
    },
    "listening",
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining: finishing in-flight requests");
    // close() flushes the buffered events; the store closes after that
    void Promise.all([running.close().then(() => eventStore?.close()), source.stop()]).then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

export function registerServe(program: Command): void {
  const command = program
    .command("serve")
    .description(
      "serve flags over OFREP and the native API, from a YAML directory or the cluster's snapshot ConfigMaps",
    )
    .option("--flags <dir>", "directory of flag YAML to serve and watch (the embedded default)")
    .option("--kubernetes", "serve the snapshot ConfigMaps the operator writes, watched through the API server");
  addKubeconfigOption(command)
    .option("--env <name>", "environment to serve (default production)")
    .option("--environment <name>", "same as --env")
    .option("--namespace <ns>", "namespace of the flags", "default")
    .option("--port <port>", "port to listen on (0 picks a free one; the log line says which)", parsePort, 8080)
    .option("--host <host>", "address to bind", "0.0.0.0")
    .option("--auth-token-file <file>", "require one of these tokens (one per line) as Bearer or X-API-Key")
    .option("--max-body <size>", "largest request body accepted, e.g. 1mb or 64kb", byteSize, 1024 * 1024)
    .option("--poll <ms>", "poll the flag directory every <ms> instead of using file system events", parseInterval)
    .option("--events-database <url|file>", EVENTS_DATABASE_HELP)
    .option("--no-events", "record no exposures and store no events (POST /v1/events answers 202, all ignored)")
    .option(
      "--request-timeout <ms>",
      "headers and body must arrive within this time, else 408",
      positiveInteger,
      DEFAULT_REQUEST_TIMEOUT_MS,
    )
    .option(
      "--max-snapshot-downloads <n>",
      "GET /v1/snapshot bodies in flight at once; past it 429",
      positiveInteger,
      DEFAULT_MAX_SNAPSHOT_DOWNLOADS,
    )
    .option(
      "--max-stream-clients <n>",
      "GET /v1/stream clients at once; past it 429",
      positiveInteger,
      DEFAULT_MAX_STREAM_CLIENTS,
    )
    .option("--max-connections <n>", "open connections at once", positiveInteger, DEFAULT_MAX_CONNECTIONS)
    .option("--wait-for-flags", "start even when --flags does not exist yet; /readyz says 503 until it does")
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace", process.env.LOG_LEVEL ?? "info")
    .addOption(logFormatOption())
    .addOption(outputOption("human", "human or json: json is --log-format json"))
    .action(async (options: ServeOptions) => {
      const logger = createCliLogger("vexil-evaluator", options.logLevel, resolveLogFormat(options, 1), 1);
      try {
        await serve(options, logger);
      } catch (error) {
        // exit at once: a started source's watchers would otherwise keep the process alive
        process.stderr.write(`vexil serve: ${(error as Error).message}\n`);
        process.exit(error instanceof UsageError ? ExitCode.USAGE : ExitCode.PROBLEMS);
      }
    });
}
