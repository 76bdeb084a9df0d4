// startOperator: everything `vexil operator` runs, as one in-process handle (the CLI and the
// integration tests both use it).
import type { KubeConfig } from "@kubernetes/client-node";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { PendingAttributions } from "./audit/attribution.ts";
import { AuditRecorder } from "./audit/recorder.ts";
import { Controller } from "./controller.ts";
import { startHealthServer } from "./http.ts";
import { createInformers, type Informers } from "./informers.ts";
import { makeClients, type KubeClients } from "../kube/client.ts";
import { loadKubeConfig, podNamespace } from "../kube/kubeconfig.ts";
import { RateLimiter, type RateLimit } from "../kube/rate-limiter.ts";
import { LeaderElector } from "./leader.ts";
import { createOperatorLogger, type OperatorLogger } from "./logger.ts";
import { createOperatorMetrics, type OperatorMetrics } from "./metrics.ts";
import { WorkQueue } from "./queue.ts";
import { OutcomeBook } from "./reconcile/outcomes.ts";
import type { ReconcilerDeps } from "./reconcile/reconcile.ts";
import { StatusWriter } from "./status/writer.ts";
import { DEFAULT_ANALYSIS_INTERVAL_MS, ExperimentAnalyst } from "./experiments/analyst.ts";
import { UsageReporter } from "./usage/reporter.ts";
import type { EventStore } from "../event-store/store.ts";
import { SnapshotWebhooks } from "./webhooks/dispatcher.ts";
import { GuardrailMonitor } from "./guardrails/monitor.ts";
import type { WebhookDeliveryPolicy } from "../webhooks/dispatcher.ts";

export interface OperatorOptions {
  /** a kubeconfig file or a loaded KubeConfig; default: $KUBECONFIG, in-cluster, then ~/.kube/config */
  kubeconfig?: string | KubeConfig;
  /** namespaces to watch; default all */
  namespaces?: string[];
  /** environments to compile; default ["production"] */
  environments?: string[];
  /** port for /healthz, /readyz, /metrics; 0 picks a free one; false: no server */
  metricsPort?: number | false;
  metricsHost?: string;
  /** JSON-lines audit trail: a file, "-" for stdout, or several; default none (Events only) */
  auditLog?: string | readonly string[];
  leaderElect?: boolean;
  leaseName?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  identity?: string;
  /** where the lease and webhook configuration live; default the pod's namespace, else "default" */
  operatorNamespace?: string;
  webhookConfigMap?: string;
  webhookSecret?: string;
  webhookPolicy?: Omit<WebhookDeliveryPolicy, "onOutcome">;
  webhookRefreshMs?: number;
  workers?: number;
  /**
   * Client-side budget for background writes (status patches and Events), like client-go's
   * QPS/burst; snapshot writes are never throttled. Default 200 per second, burst 400; qps 0
   * disables it.
   */
  writeRateLimit?: RateLimit;
  /** status patches in flight at once; default 32 */
  statusConcurrency?: number;
  maxShardBytes?: number;
  /** full resync period; default 10 minutes */
  resyncMs?: number;
  watchBackoff?: { initialBackoffMs?: number; maxBackoffMs?: number };
  logger?: OperatorLogger;
  now?: () => Date;
  /** the event store evaluators write to; with it the leader writes Experiment results into their status */
  eventStore?: EventStore;
  /** how often the leader analyses experiments and reports flag usage; default 60 s */
  analysisIntervalMs?: number;
  /** a flag not evaluated this long is Stale (its spec.staleAfter wins); default 30 days */
  staleAfterMs?: number;
  /** a new flag never evaluated is Stale after this; default 7 days */
  staleGraceMs?: number;
}

export interface OperatorHandle {
  metrics: OperatorMetrics;
  /** the port /metrics listens on, when enabled */
  metricsPort: number | undefined;
  identity: string;
  isLeader(): boolean;
  /** caches synced */
  ready(): boolean;
  /** resolves when nothing is queued or being reconciled */
  idle(): Promise<void>;
  webhooks: SnapshotWebhooks;
  /** one experiment analysis pass now (leader only; a no-op without an event store) */
  analyzeExperiments(): Promise<void>;
  /** one usage pass now (flag status.usage and the Stale condition); tests call it instead of waiting */
  reportUsage(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_WRITE_RATE_LIMIT: RateLimit = { qps: 200, burst: 400 };

export async function startOperator(options: OperatorOptions = {}): Promise<OperatorHandle> {
  const logger = options.logger ?? createOperatorLogger();
  const clients = makeClients(loadKubeConfig(options.kubeconfig), "vexil-operator");
  const environments = options.environments?.length ? options.environments : ["production"];
  const identity = options.identity ?? `${hostname()}-${randomBytes(3).toString("hex")}`;
  const ownNamespace = podNamespace(options.operatorNamespace);
  const metrics = createOperatorMetrics({ processMetrics: true });
  const queue = new WorkQueue({ onDepthChange: (depth) => metrics.queueDepth.set(depth) });
  const webhooks = createWebhooks(options, clients.core, ownNamespace, metrics, logger);
  const limiter = new RateLimiter(options.writeRateLimit ?? DEFAULT_WRITE_RATE_LIMIT);
  const recorder = new AuditRecorder({
    core: clients.core,
    auditLog: options.auditLog,
    instance: identity,
    logger,
    limiter,
  });
  const routed: { controller?: Controller } = {};
  const informers = routeInformers(options, clients, routed, metrics, logger);
  const deps: ReconcilerDeps = {
    clients,
    informers,
    environments,
    outcomes: new OutcomeBook(),
    lastGood: new Map(),
    status: createStatusWriter(options, clients, environments, metrics, logger, limiter),
    recorder,
    attributions: new PendingAttributions(),
    metrics,
    webhooks,
    guardrails: new GuardrailMonitor({ store: options.eventStore, recorder, webhooks, logger }),
    ownWrites: new Set(),
    ...(options.maxShardBytes ? { maxShardBytes: options.maxShardBytes } : {}),
    now: options.now ?? (() => new Date()),
    logger,
  };
  const controller = new Controller(deps, queue);
  routed.controller = controller;
  // listen first: a port in use fails startup before any watch or lease is taken
  const server = await startMetricsServer(options, metrics, informers);
  for (const watch of informers.all) watch.start();
  let stopping = false;
  controller.start(
    options.workers ?? 2,
    waitFor(() => informers.hasSynced() || stopping),
  );
  const elector = startLeadership(options, clients.coordination, ownNamespace, identity, controller, metrics, logger);
  const resync = setInterval(() => controller.resync(), options.resyncMs ?? 600_000);
  resync.unref();
  const analyst = createAnalyst(options, deps, () => controller.isLeading);
  const usage = createUsageReporter(options, deps, () => controller.isLeading);
  logStarted(logger, options, { identity, environments, leaderElect: Boolean(elector), metricsPort: server?.port });

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    clearInterval(resync);
    stopping = true;
    await analyst?.stop();
    await usage?.stop();
    await controller.stop();
    await elector?.stop();
    controller.setLeading(false);
    await Promise.all(informers.all.map((watch) => watch.stop()));
    webhooks.close();
    await recorder.close();
    await server?.close();
    logger.info({ identity }, "operator stopped");
  };
  return {
    metrics,
    metricsPort: server?.port,
    identity,
    isLeader: () => controller.isLeading,
    ready: () => informers.hasSynced(),
    idle: () => controller.idle(),
    webhooks,
    analyzeExperiments: () => analyst?.analyzeNow() ?? Promise.resolve(),
    reportUsage: () => usage?.reportNow() ?? Promise.resolve(),
    stop: () => (stopped ??= stop()),
  };
}

function logStarted(logger: OperatorLogger, options: OperatorOptions, fields: Record<string, unknown>): void {
  const events = options.eventStore?.description ?? "none";
  logger.info({ ...fields, namespaces: options.namespaces ?? "all", events }, "operator started");
}

/** The leader's experiment analysis, when there is an event store to read. */
function createAnalyst(
  options: OperatorOptions,
  deps: ReconcilerDeps,
  isLeading: () => boolean,
): ExperimentAnalyst | undefined {
  if (!options.eventStore) return undefined;
  return new ExperimentAnalyst({
    store: options.eventStore,
    custom: deps.clients.custom,
    informers: deps.informers,
    recorder: deps.recorder,
    webhooks: deps.webhooks,
    registry: deps.metrics.registry,
    logger: deps.logger,
    isLeading,
    ...(options.analysisIntervalMs ? { intervalMs: options.analysisIntervalMs } : {}),
    now: deps.now,
  }).start();
}

/** The leader's flag usage and Stale report, when there is an event store to read. */
function createUsageReporter(
  options: OperatorOptions,
  deps: ReconcilerDeps,
  isLeading: () => boolean,
): UsageReporter | undefined {
  if (!options.eventStore) return undefined;
  return new UsageReporter({
    store: options.eventStore,
    custom: deps.clients.custom,
    informers: deps.informers,
    logger: deps.logger,
    isLeading,
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
    ...(options.staleGraceMs !== undefined ? { graceMs: options.staleGraceMs } : {}),
    now: deps.now,
  }).start(options.analysisIntervalMs ?? DEFAULT_ANALYSIS_INTERVAL_MS);
}

function routeInformers(
  options: OperatorOptions,
  clients: KubeClients,
  routed: { controller?: Controller },
  metrics: OperatorMetrics,
  logger: OperatorLogger,
): Informers {
  return createInformers(
    clients,
    options.namespaces,
    {
      onResource: (type, object, previous) => routed.controller?.onResource(type, object, previous),
      onConfigMap: (type, object) => routed.controller?.onConfigMap(type, object),
      onRestart: (resource, reason) => {
        metrics.watchRestarts.inc({ resource });
        logger.warn({ resource, reason }, "watch restarted");
      },
      onSynced: () => undefined,
    },
    options.watchBackoff,
  );
}

/** listens first: a port in use fails startup before any watch or lease is taken */
async function startMetricsServer(options: OperatorOptions, metrics: OperatorMetrics, informers: Informers) {
  if (options.metricsPort === false || options.metricsPort === undefined) return undefined;
  return startHealthServer({
    port: options.metricsPort,
    host: options.metricsHost,
    registry: metrics.registry,
    ready: () => informers.hasSynced(),
  });
}

function createStatusWriter(
  options: OperatorOptions,
  clients: KubeClients,
  environments: readonly string[],
  metrics: OperatorMetrics,
  logger: OperatorLogger,
  limiter: RateLimiter,
): StatusWriter {
  return new StatusWriter({
    custom: clients.custom,
    environments,
    metrics,
    logger,
    limiter,
    ...(options.statusConcurrency ? { concurrency: options.statusConcurrency } : {}),
  });
}

function createWebhooks(
  options: OperatorOptions,
  core: KubeClients["core"],
  namespace: string,
  metrics: OperatorMetrics,
  logger: OperatorLogger,
): SnapshotWebhooks {
  return new SnapshotWebhooks({
    core,
    namespace,
    metrics,
    logger,
    ...(options.webhookConfigMap ? { configMap: options.webhookConfigMap } : {}),
    ...(options.webhookSecret ? { secret: options.webhookSecret } : {}),
    ...(options.webhookPolicy ? { policy: options.webhookPolicy } : {}),
    ...(options.webhookRefreshMs !== undefined ? { refreshMs: options.webhookRefreshMs } : {}),
  });
}

/** Without --leader-elect this replica leads at once; with it, the Lease decides. */
function startLeadership(
  options: OperatorOptions,
  coordination: KubeClients["coordination"],
  namespace: string,
  identity: string,
  controller: Controller,
  metrics: OperatorMetrics,
  logger: OperatorLogger,
): LeaderElector | undefined {
  const lead = (leading: boolean): void => {
    metrics.leader.set(leading ? 1 : 0);
    controller.setLeading(leading);
  };
  if (!options.leaderElect) {
    lead(true);
    return undefined;
  }
  const elector = new LeaderElector({
    coordination,
    namespace,
    identity,
    ...(options.leaseName ? { name: options.leaseName } : {}),
    ...(options.leaseDurationMs ? { leaseDurationMs: options.leaseDurationMs } : {}),
    ...(options.renewDeadlineMs ? { renewDeadlineMs: options.renewDeadlineMs } : {}),
    ...(options.retryPeriodMs ? { retryPeriodMs: options.retryPeriodMs } : {}),
    onStartedLeading: () => lead(true),
    onStoppedLeading: () => lead(false),
    logger,
  });
  elector.start();
  return elector;
}

function waitFor(check: () => boolean, pollMs = 50): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (check()) resolve();
      else setTimeout(poll, pollMs).unref();
    };
    poll();
  });
}
