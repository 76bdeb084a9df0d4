// Reconcile one namespace × environment: compile what is in the cache, write the snapshot
// ConfigMaps if their content differs, bring every resource's status in line, record
// Events for status transitions, notify webhooks when what is served changed, and say
// when to come back (the next step of a time-based rollout). Idempotent: running it twice
// in a row writes nothing the second time.
import { ENVIRONMENT_LABEL, indexConfigMapName } from "../../core/snapshot/configmap-format.ts";
import type { PendingAttributions } from "../audit/attribution.ts";
import type { AuditRecorder } from "../audit/recorder.ts";
import type { KubeClients } from "../../kube/client.ts";
import { describeError } from "../../kube/errors.ts";
import type { Informers } from "../informers.ts";
import type { OperatorLogger } from "../logger.ts";
import type { OperatorMetrics, ReconcileOutcome } from "../metrics.ts";
import { VEXIL_KINDS } from "../../kube/resources.ts";
import { generationOf, keyOf, parseLive, type LiveResource } from "../resources.ts";
import type { StatusWriter } from "../status/writer.ts";
import type { SnapshotWebhooks } from "../webhooks/dispatcher.ts";
import { goodVersions, type LastGood, type ParsedInput } from "./compile-environment.ts";
import { compileGuarded, guardOutcome } from "../guardrails/compile-guarded.ts";
import type { GuardrailMonitor } from "../guardrails/monitor.ts";
import { writeSnapshotConfigMaps } from "./configmaps.ts";
import { recordTransitions } from "./transitions.ts";
import { OutcomeBook, outcomeFor } from "./outcomes.ts";
import { previousSnapshot, servedChanges } from "./served-changes.ts";

export interface ReconcilerDeps {
  clients: KubeClients;
  informers: Informers;
  environments: readonly string[];
  outcomes: OutcomeBook;
  /** "namespace/environment" → resource key → last good version */
  lastGood: Map<string, Map<string, LastGood>>;
  status: StatusWriter;
  recorder: AuditRecorder;
  /** who made the spec changes the next snapshot of each namespace × environment carries */
  attributions?: PendingAttributions;
  metrics: OperatorMetrics;
  webhooks?: SnapshotWebhooks;
  /** guarded rollouts: what the guardrails allow, checked against the event store */
  guardrails?: GuardrailMonitor;
  /** resourceVersions of ConfigMaps we wrote: their watch events need no reconcile */
  ownWrites: Set<string>;
  maxShardBytes?: number;
  now: () => Date;
  logger: OperatorLogger;
}

export interface ReconcileResult {
  outcome: ReconcileOutcome;
  /** come back after this long (a time-based rollout's next step) */
  requeueAfterMs?: number;
}

/** Never reconcile again sooner than this for a rollout step (clock skew, rounding). */
const MIN_REQUEUE_MS = 250;

export async function reconcileEnvironment(
  deps: ReconcilerDeps,
  namespace: string,
  environment: string,
): Promise<ReconcileResult> {
  // taken before the cache is read: every change taken here is in what this reconcile compiles
  const changedBy = deps.attributions?.take(namespace, environment) ?? [];
  const live = VEXIL_KINDS.flatMap(({ kind }) => deps.informers.list(kind, namespace));
  const existing = deps.informers
    .configMapsIn(namespace)
    .filter((cm) => cm.metadata?.labels?.[ENVIRONMENT_LABEL] === environment);
  if (live.length === 0 && existing.length === 0) return { outcome: "unchanged" };

  const now = deps.now();
  const inputs = live.map(toInput);
  const lastGood = lastGoodFor(deps, `${namespace}/${environment}`, inputs);
  const { compiled, nextCheckAt } = await compileGuarded(deps.guardrails, live, inputs, lastGood, {
    namespace,
    environment,
    now,
  });
  for (const [key, good] of goodVersions(inputs, compiled)) lastGood.set(key, good);

  const before = previousSnapshot(existing, environment);
  let writeError: string | undefined;
  let changed = false;
  try {
    const written = await writeSnapshotConfigMaps(
      { core: deps.clients.core, namespace, existing, maxShardBytes: deps.maxShardBytes },
      compiled.snapshot,
    );
    changed = written.changed;
    for (const resourceVersion of written.written) deps.ownWrites.add(resourceVersion);
    deps.metrics.snapshotBytes.set({ namespace, environment }, written.bytes);
  } catch (error) {
    writeError = describeError(error);
  }

  const configMap = indexConfigMapName(environment);
  inputs.forEach((input, i) => {
    const outcome = outcomeFor(input, compiled, configMap);
    const guard = guardOutcome(
      deps.guardrails,
      live[i] as LiveResource,
      environment,
      compiled.rollouts[input.name]?.guarded,
    );
    if (guard && outcome.rollout && input.kind === "FeatureFlag") outcome.rollout.guard = guard;
    if (writeError) outcome.writeError = writeError;
    const previous = deps.outcomes.set(input.key, environment, outcome);
    recordTransitions(deps, live[i] as LiveResource, environment, previous, outcome, now);
  });
  // statuses are compared with the cache as it is now: status writes of an earlier reconcile
  // may have landed while this one compiled, and comparing with this reconcile's older copies
  // would write them a second time
  const current = live.flatMap(
    (resource) => deps.informers.get(resource.kind, namespace, resource.metadata.name) ?? [],
  );
  deps.status.schedule(current, (key) => deps.outcomes.get(key), now);
  if (writeError) throw new Error(`writing the ${environment} snapshot in ${namespace} failed: ${writeError}`);

  if (changed && before?.hash !== compiled.snapshot.hash) {
    const changes = servedChanges(before, compiled.snapshot);
    deps.logger.info(
      { namespace, environment, hash: compiled.snapshot.hash.slice(0, 12), ...summaryOf(changes) },
      "snapshot written",
    );
    deps.webhooks?.enqueue({
      namespace,
      environment,
      hash: compiled.snapshot.hash,
      previousHash: before?.hash,
      changes,
      changedBy,
      time: now,
    });
  }
  return withRequeue(
    { outcome: changed ? "written" : "unchanged" },
    earliest(compiled.snapshot.nextChangeAt, nextCheckAt),
    now,
  );
}

/** The sooner of a rollout's next step and the next guardrail check. */
function earliest(nextChangeAt: string | undefined, nextCheckAt: number | undefined): string | undefined {
  if (nextCheckAt === undefined) return nextChangeAt;
  const check = new Date(nextCheckAt).toISOString();
  return nextChangeAt === undefined || Date.parse(nextChangeAt) > nextCheckAt ? check : nextChangeAt;
}

/**
 * Parsed resources by cached object: a watch event replaces the object, so an entry lives
 * exactly as long as the version it was parsed from. Reconciling 10 000 flags after one of
 * them changed parses one, and the last good versions share these parsed objects instead of
 * holding copies.
 */
const parsedInputs = new WeakMap<LiveResource, ParsedInput>();

function toInput(live: LiveResource): ParsedInput {
  let input = parsedInputs.get(live);
  if (!input) {
    input = parseInput(live);
    parsedInputs.set(live, input);
  }
  return input;
}

function parseInput(live: LiveResource): ParsedInput {
  const parsed = parseLive(live);
  const input: ParsedInput = {
    key: keyOf(live),
    kind: live.kind,
    name: live.metadata.name,
    generation: generationOf(live),
    problems: parsed.problems,
  };
  if (parsed.resource) input.resource = parsed.resource;
  return input;
}

/** This namespace × environment's last good versions, pruned of resources that no longer exist. */
function lastGoodFor(deps: ReconcilerDeps, scope: string, inputs: readonly ParsedInput[]): Map<string, LastGood> {
  let lastGood = deps.lastGood.get(scope);
  if (!lastGood) {
    lastGood = new Map();
    deps.lastGood.set(scope, lastGood);
  }
  const present = new Set(inputs.map((input) => input.key));
  for (const key of lastGood.keys()) if (!present.has(key)) lastGood.delete(key);
  return lastGood;
}

function withRequeue(result: ReconcileResult, nextChangeAt: string | undefined, now: Date): ReconcileResult {
  if (!nextChangeAt) return result;
  const delay = Date.parse(nextChangeAt) - now.getTime();
  return Number.isFinite(delay) ? { ...result, requeueAfterMs: Math.max(delay, MIN_REQUEUE_MS) } : result;
}

function summaryOf(changes: ReturnType<typeof servedChanges>): Record<string, number> {
  return { added: changes.added.length, changed: changes.changed.length, removed: changes.removed.length };
}
