// The operator's side of guarded rollouts. Reconciles ask it what the guardrails allow (compile's
// directives) and, after compiling, let it check the rollouts whose interval is due: it reads the
// inside/outside aggregates of the current step from the event store, decides (decide.ts), keeps
// the record, and tells people once when a rollout is rolled back (a Warning Event and a signed
// rollout.rolledBack webhook). Records live in memory and in each flag's status, which is read
// back when the memory has none (after a restart or a failover), so a rollback survives both.
import { createHash } from "node:crypto";
import type { GuardDirective, GuardedRollout, GuardLookup } from "../../core/compile/guard.ts";
import type { RolloutStatus } from "../../core/compile/compile.ts";
import { parseDuration } from "../../core/schema/duration.ts";
import {
  DEFAULT_GUARDRAIL_INTERVAL,
  guardrailsStatusSchema,
  type GuardrailsStatus,
} from "../../core/schema/guardrails.ts";
import { checkGuardrail, guardVerdict, INSIDE, OUTSIDE, type GuardVerdict } from "../../core/statistics/guardrails.ts";
import type { EventStore } from "../../event-store/store.ts";
import type { AuditRecorder } from "../audit/recorder.ts";
import { describeError } from "../../kube/errors.ts";
import type { OperatorLogger } from "../logger.ts";
import type { LiveResource } from "../resources.ts";
import type { SnapshotWebhooks } from "../webhooks/dispatcher.ts";
import { decideGuard, type GuardDecision } from "./decide.ts";

export interface GuardrailMonitorOptions {
  store: EventStore | undefined;
  recorder: AuditRecorder;
  webhooks?: SnapshotWebhooks;
  logger: OperatorLogger;
}

interface Entry {
  record: GuardrailsStatus;
  /** epoch ms of the last check */
  checkedAt: number;
}

/** A flag's live object and its rollout as compiled, for one check. */
export interface GuardSubject {
  live: LiveResource;
  rollout: RolloutStatus & { guarded: GuardedRollout };
}

const DEFAULT_INTERVAL_MS = parseDuration(DEFAULT_GUARDRAIL_INTERVAL) as number;

export class GuardrailMonitor {
  readonly #options: GuardrailMonitorOptions;
  /** "namespace/name\nenvironment" → the latest record */
  readonly #entries = new Map<string, Entry>();
  #storeFailing = false;

  constructor(options: GuardrailMonitorOptions) {
    this.#options = options;
  }

  /** Compile's directives for one namespace × environment: memory first, then the flag's status. */
  lookup(environment: string, flags: ReadonlyMap<string, LiveResource>): GuardLookup {
    return (flagKey) => {
      const live = flags.get(flagKey);
      if (!live) return undefined;
      const record = this.record(live, environment);
      if (!record) return undefined;
      const directive: GuardDirective = {
        rollout: record.rollout,
        approvedStep: record.approvedStep,
        rolledBack: record.phase === "RolledBack",
      };
      return directive;
    };
  }

  /** The record of a flag in an environment, if any. */
  record(live: LiveResource, environment: string): GuardrailsStatus | undefined {
    return this.#entries.get(entryKey(live, environment))?.record ?? fromStatus(live, environment);
  }

  forget(live: LiveResource): void {
    const prefix = `${live.metadata.namespace}/${live.metadata.name}\n`;
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  /**
   * Checks the subjects whose interval is due. Returns whether a directive changed (compile
   * again) and when the next check is due (epoch ms), if any subject is guarded.
   */
  async check(
    environment: string,
    subjects: readonly GuardSubject[],
    now: Date,
  ): Promise<{ changed: boolean; nextCheckAt?: number }> {
    let changed = false;
    let nextCheckAt: number | undefined;
    for (const subject of subjects) {
      const key = entryKey(subject.live, environment);
      const interval = intervalOf(subject.rollout.guarded);
      const entry = this.#entries.get(key);
      const fresh = entry !== undefined && entry.record.rollout === subject.rollout.guarded.rollout;
      if (!fresh || now.getTime() >= entry.checkedAt + interval) {
        const decision = await this.#decide(subject, environment, now);
        changed ||= directiveChanged(this.record(subject.live, environment), decision.record);
        this.#entries.set(key, { record: decision.record, checkedAt: now.getTime() });
        if (decision.rolledBackNow) this.#announce(subject, environment, decision, now);
      }
      const due = (this.#entries.get(key)?.checkedAt ?? now.getTime()) + interval;
      nextCheckAt = nextCheckAt === undefined ? due : Math.min(nextCheckAt, due);
    }
    return nextCheckAt === undefined ? { changed } : { changed, nextCheckAt };
  }

  async #decide(subject: GuardSubject, environment: string, now: Date): Promise<GuardDecision> {
    const { guarded, percentage } = subject.rollout;
    const previous = this.record(subject.live, environment);
    const read = await this.#verdict(subject);
    return decideGuard(
      previous,
      { guarded, guardrails: guarded.guardrails, percentage, verdict: read.verdict, ...read.unavailable },
      now,
    );
  }

  async #verdict(subject: GuardSubject): Promise<{ verdict?: GuardVerdict; unavailable?: { unavailable: string } }> {
    const { store, logger } = this.#options;
    if (!store) return { unavailable: { unavailable: "the operator has no event store (--events-database)" } };
    const { guarded } = subject.rollout;
    const guardrails = guarded.guardrails;
    try {
      const aggregates = await store.aggregate({
        namespace: subject.live.metadata.namespace,
        experiment: guarded.exposureKey,
        variants: [OUTSIDE, INSIDE],
        metrics: guardrails.metrics.map((m) => ({ name: m.event, event: m.event, type: m.type ?? "conversion" })),
      });
      if (this.#storeFailing) logger.info({ store: store.description }, "guardrail checks resumed");
      this.#storeFailing = false;
      const checks = guardrails.metrics.map((m) =>
        checkGuardrail(m, aggregates.metrics[m.event] ?? [], guardrails.minimumSamples),
      );
      return { verdict: guardVerdict(checks) };
    } catch (error) {
      if (!this.#storeFailing) {
        logger.warn(
          { store: store.description, err: describeError(error) },
          "guardrail check failed (event store unreachable?); guarded rollouts hold their step",
        );
      }
      this.#storeFailing = true;
      return { unavailable: { unavailable: `the event store could not be read (${describeError(error)})` } };
    }
  }

  #announce(subject: GuardSubject, environment: string, decision: GuardDecision, now: Date): void {
    const { namespace, name, uid, generation } = subject.live.metadata;
    const summary = `${environment}: ${decision.record.message}`;
    this.#options.logger.warn({ namespace, flag: name, environment }, summary);
    this.#options.recorder.record({
      time: now.toISOString(),
      kind: "FeatureFlag",
      namespace,
      name,
      ...(uid ? { uid } : {}),
      ...(generation !== undefined ? { generation } : {}),
      reason: "RolledBack",
      summary,
      type: "Warning",
    });
    const { record } = decision;
    const idSource = `${namespace}\n${name}\n${uid ?? ""}\n${environment}\n${record.rollout}\nrolledBack`;
    const id = `msg_${createHash("sha256").update(idSource).digest("hex").slice(0, 32)}`;
    const body = JSON.stringify({
      type: "rollout.rolledBack",
      timestamp: now.toISOString(),
      data: {
        namespace,
        flag: name,
        environment,
        step: record.rolledBackStep ?? null,
        message: record.message,
        metrics: record.metrics ?? [],
        rollout: record.rollout,
      },
    });
    this.#options.webhooks?.send({ type: "rollout.rolledBack", id, body, namespace, environment });
  }
}

function entryKey(live: LiveResource, environment: string): string {
  return `${live.metadata.namespace}/${live.metadata.name}\n${environment}`;
}

function intervalOf(guarded: GuardedRollout): number {
  const ms = guarded.guardrails.interval ? parseDuration(guarded.guardrails.interval) : undefined;
  return ms !== undefined && ms >= 1000 ? ms : DEFAULT_INTERVAL_MS;
}

/** The record the flag's status holds for the environment (what a restarted operator starts from). */
function fromStatus(live: LiveResource, environment: string): GuardrailsStatus | undefined {
  const environments = live.status?.environments as Record<string, { guardrails?: unknown }> | undefined;
  const raw = environments?.[environment]?.guardrails;
  if (raw === undefined) return undefined;
  const parsed = guardrailsStatusSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function directiveChanged(before: GuardrailsStatus | undefined, after: GuardrailsStatus): boolean {
  return (
    before === undefined ||
    before.rollout !== after.rollout ||
    before.approvedStep !== after.approvedStep ||
    (before.phase === "RolledBack") !== (after.phase === "RolledBack")
  );
}
