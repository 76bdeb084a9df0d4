// The leader's experiment loop: every interval (default 60 s) it stores each namespace's
// experiment definitions in the event store (evaluators read them there), analyses each
// experiment from the store, writes the status when it changed, exports per-variant gauges,
// and tells people (a Kubernetes Event and a signed experiment.updated webhook) when a result
// first becomes significant or a sample ratio mismatch first shows.
import { createHash } from "node:crypto";
import type { CustomObjectsApi } from "@kubernetes/client-node";
import { experimentSchema, type ExperimentResource } from "../../core/schema/index.ts";
import { experimentDefinitions } from "../../event-store/definitions.ts";
import { experimentResults, type ExperimentResults } from "../../event-store/results.ts";
import type { EventStore } from "../../event-store/store.ts";
import type { AuditRecorder } from "../audit/recorder.ts";
import { describeError } from "../../kube/errors.ts";
import type { Informers } from "../informers.ts";
import type { OperatorLogger } from "../logger.ts";
import type { LiveResource } from "../resources.ts";
import type { SnapshotWebhooks } from "../webhooks/dispatcher.ts";
import { milestones, type Milestone } from "./conditions.ts";
import { createExperimentGauges, type ExperimentGauges } from "./gauges.ts";
import { analysisStatus, analysisUnchanged, readExperiment, writeAnalysisStatus } from "./status.ts";
import type { Registry } from "prom-client";

export const DEFAULT_ANALYSIS_INTERVAL_MS = 60_000;

export interface AnalystOptions {
  store: EventStore;
  custom: CustomObjectsApi;
  informers: Informers;
  recorder: AuditRecorder;
  webhooks?: SnapshotWebhooks;
  registry: Registry;
  logger: OperatorLogger;
  isLeading: () => boolean;
  intervalMs?: number;
  now?: () => Date;
}

export class ExperimentAnalyst {
  readonly #options: AnalystOptions;
  readonly #gauges: ExperimentGauges;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #storeFailing = false;

  constructor(options: AnalystOptions) {
    this.#options = options;
    this.#gauges = createExperimentGauges(options.registry);
  }

  start(): this {
    const interval = this.#options.intervalMs ?? DEFAULT_ANALYSIS_INTERVAL_MS;
    this.#timer = setInterval(() => void this.analyzeNow(), interval);
    this.#timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every experiment (skipped when not leading, or while a pass runs). */
  analyzeNow(): Promise<void> {
    if (!this.#options.isLeading() || !this.#options.informers.hasSynced()) return Promise.resolve();
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<void> {
    const { informers } = this.#options;
    for (const namespace of informers.namespaces()) {
      const live = informers.list("Experiment", namespace);
      const parsed = live.flatMap((l) => parseExperiment(l));
      try {
        const now = (this.#options.now ?? (() => new Date()))();
        await this.#options.store.putExperiments(
          namespace,
          experimentDefinitions(
            parsed.map((p) => p.resource),
            namespace,
            now.getTime(),
          ),
        );
        for (const { live: resource, resource: experiment } of parsed) await this.#analyze(resource, experiment, now);
        this.#recovered();
      } catch (error) {
        this.#failed(namespace, error);
      }
    }
  }

  async #analyze(live: LiveResource, experiment: ExperimentResource, now: Date): Promise<void> {
    const [definition] = experimentDefinitions([experiment], live.metadata.namespace, now.getTime());
    const results = await experimentResults(this.#options.store, definition!, now.getTime());
    this.#gauges.observe(live.metadata.namespace, live.metadata.name, results);
    if (analysisUnchanged(live, analysisStatus(live, results, now))) return;
    let current: LiveResource;
    try {
      current = await readExperiment(this.#options.custom, live);
      const status = analysisStatus(current, results, now);
      if (analysisUnchanged(current, status)) return;
      await writeAnalysisStatus(this.#options.custom, current, status);
    } catch (error) {
      this.#options.logger.warn(
        { experiment: live.metadata.name, err: describeError(error) },
        "experiment status update failed; retried next interval",
      );
      return;
    }
    // announced only once the status saying so is written: a failed write announces next time
    for (const milestone of milestones(results, current.status)) this.#announce(current, results, milestone, now);
  }

  #announce(live: LiveResource, results: ExperimentResults, milestone: Milestone, now: Date): void {
    const { namespace, name, uid, generation } = live.metadata;
    this.#options.logger.info({ namespace, experiment: name, trigger: milestone.trigger }, milestone.message);
    this.#options.recorder.record({
      time: now.toISOString(),
      kind: "Experiment",
      namespace,
      name,
      ...(uid ? { uid } : {}),
      ...(generation !== undefined ? { generation } : {}),
      reason: milestone.trigger === "significance" ? "SignificanceReached" : "SampleRatioMismatch",
      summary: milestone.message,
      type: milestone.trigger === "significance" ? "Normal" : "Warning",
    });
    const idSource = `${namespace}\n${name}\n${uid ?? ""}\n${milestone.trigger}\n${milestone.metric ?? ""}\n${milestone.variant ?? ""}`;
    const id = `msg_${createHash("sha256").update(idSource).digest("hex").slice(0, 32)}`;
    const {
      phase,
      results: byMetric,
      sampleRatioMismatch,
      recommendation,
      leadingVariant,
      flag,
      environment,
    } = results;
    const body = JSON.stringify({
      type: "experiment.updated",
      timestamp: now.toISOString(),
      data: {
        namespace,
        name,
        flag,
        environment,
        trigger: milestone.trigger,
        metric: milestone.metric ?? null,
        variant: milestone.variant ?? null,
        message: milestone.message,
        phase,
        results: byMetric,
        sampleRatioMismatch,
        recommendation,
        leadingVariant: leadingVariant ?? null,
      },
    });
    this.#options.webhooks?.send({ type: "experiment.updated", id, body, namespace, environment });
  }

  #failed(namespace: string, error: unknown): void {
    if (!this.#storeFailing) {
      const fields = { namespace, store: this.#options.store.description, err: describeError(error) };
      this.#options.logger.warn(
        fields,
        "experiment analysis failed (event store unreachable?); statuses keep their last results",
      );
    }
    this.#storeFailing = true;
  }

  #recovered(): void {
    if (this.#storeFailing)
      this.#options.logger.info({ store: this.#options.store.description }, "experiment analysis resumed");
    this.#storeFailing = false;
  }
}

/** Live objects that do not parse are reported by reconciles (Ready=False); the analysis skips them. */
function parseExperiment(live: LiveResource): { live: LiveResource; resource: ExperimentResource }[] {
  const parsed = experimentSchema.safeParse({
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: { name: live.metadata.name, namespace: live.metadata.namespace },
    spec: live.spec,
  });
  return parsed.success ? [{ live, resource: parsed.data }] : [];
}
