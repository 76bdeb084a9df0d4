// Everything the evaluator does with experiment events, in one place: exposures recorded by
// evaluation, batches posted to /v1/events, both through one bounded writer into the store.
import type { Registry } from "prom-client";
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EventRecord, EventStore } from "../../event-store/store.ts";
import { EventWriter, type EventWriterOptions } from "../../event-store/writer.ts";
import type { Logger } from "../logger.ts";
import { ExperimentCatalog } from "./catalog.ts";
import { ExposureRecorder } from "./exposures.ts";
import { intake, type IgnoreReason, type TrackedEvent } from "./intake.ts";
import { createExperimentMetrics, type ExperimentMetrics } from "./metrics.ts";
import { ResultsCache } from "./results-cache.ts";
import { UsageRollup } from "./usage.ts";

export interface ReceiveResult {
  accepted: number;
  ignored: number;
  ignoredReasons: Partial<Record<IgnoreReason, number>>;
  /** accepted but lost because the buffer was full (counted in vexil_events_dropped_total) */
  dropped: number;
}

export class ExperimentEvents {
  readonly writer: EventWriter | undefined;
  readonly catalog: ExperimentCatalog | undefined;
  readonly results: ResultsCache | undefined;
  readonly metrics: ExperimentMetrics;
  readonly #recorder: ExposureRecorder | undefined;
  readonly #usage: UsageRollup | undefined;

  constructor(
    registry: Registry,
    store: EventStore | undefined,
    logger: Logger,
    options: EventWriterOptions & { usageFlushMs?: number } = {},
  ) {
    this.metrics = createExperimentMetrics(registry, () => this.writer);
    if (store === undefined) return;
    const { dropped, written } = this.metrics;
    this.writer = new EventWriter(store, {
      ...options,
      log: logger,
      onDropped: (reason, n) => dropped.inc({ reason }, n),
      onWritten: (n) => written.inc(n),
    });
    this.catalog = new ExperimentCatalog(store);
    this.catalog.refresh().catch(() => {}); // warm; a store that is down is retried on use
    this.results = new ResultsCache(store);
    const exposures = this.metrics.exposures;
    this.#recorder = new ExposureRecorder(this.writer, (experiment, variant) => exposures.inc({ experiment, variant }));
    this.#usage = new UsageRollup(this.writer, options.usageFlushMs);
  }

  get store(): EventStore | undefined {
    return this.writer?.store;
  }

  /** After each evaluation: counts the flag's usage, and records an exposure when the user was enrolled in its experiment. */
  observe(snapshot: Snapshot, key: string, context: unknown, result: EvaluationResult): void {
    this.#usage?.observe(snapshot, key, result);
    this.#recorder?.observe(snapshot, key, context, result);
  }

  receive(snapshot: Snapshot, events: readonly TrackedEvent[], now = Date.now()): ReceiveResult {
    if (this.writer === undefined || this.catalog === undefined) {
      this.metrics.ignored.inc({ reason: "no_event_store" }, events.length);
      return { accepted: 0, ignored: events.length, ignoredReasons: { no_event_store: events.length }, dropped: 0 };
    }
    const { records, ignored } = intake(snapshot, events, this.catalog, now);
    for (const [reason, n] of Object.entries(ignored)) this.metrics.ignored.inc({ reason }, n);
    let dropped = 0;
    for (const record of records) {
      if (!this.writer.add(record)) dropped += 1;
      else this.#count(snapshot, record);
    }
    const ignoredCount = events.length - records.length;
    return { accepted: records.length - dropped, ignored: ignoredCount, ignoredReasons: ignored, dropped };
  }

  /** Flushes what is buffered (SIGTERM); the store itself is closed by its owner. */
  async close(timeoutMs?: number): Promise<void> {
    this.#usage?.close();
    await this.writer?.close(timeoutMs);
  }

  #count(snapshot: Snapshot, record: EventRecord): void {
    if (record.kind === "exposure") {
      this.metrics.exposures.inc({ experiment: record.experiment, variant: record.variant });
      return;
    }
    if (record.kind !== "metric") return;
    for (const definition of this.catalog?.cached(snapshot.namespace) ?? []) {
      if (definition.phase !== "Running") continue;
      for (const metric of definition.spec.metrics) {
        if (metric.event === record.event)
          this.metrics.conversions.inc({ experiment: definition.name, metric: metric.name });
      }
    }
  }
}
