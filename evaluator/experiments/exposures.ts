// Exposures recorded by evaluation: when the engine enrolls a user in a flag's running
// experiment, the evaluator writes (experiment, variant, user, time) to the event buffer; when a
// guarded rollout decides the answer, it writes the user's side ("inside" or "outside") under the
// rollout's exposure key, so the operator can compare the two groups on the guardrail metrics.
// A user evaluated a thousand times is one exposure: recently recorded users are remembered
// (a set bounded by count and by the bytes of its keys, oldest forgotten first) so that hot
// users cost no buffer space or writes, and 1 KB targeting keys cannot make it hold 50 MB.
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import { rolloutSide } from "../../core/evaluate/rollout-side.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EventWriter } from "../../event-store/writer.ts";

export interface ExposureCounter {
  (experiment: string, variant: string): void;
}

export class ExposureRecorder {
  readonly #writer: EventWriter;
  readonly #recent = new Set<string>();
  readonly #maxRecent: number;
  readonly #maxRecentChars: number;
  #recentChars = 0;
  readonly #count: ExposureCounter;

  constructor(writer: EventWriter, count: ExposureCounter, maxRecent = 50_000, maxRecentChars = 4 * 2 ** 20) {
    this.#writer = writer;
    this.#count = count;
    this.#maxRecent = maxRecent;
    this.#maxRecentChars = maxRecentChars;
  }

  /** Called after every evaluation; cheap unless the flag has a running experiment or a guarded rollout. */
  observe(snapshot: Snapshot, key: string, context: unknown, result: EvaluationResult): void {
    const flag = snapshot.flags[key];
    if (flag === undefined || result.variant === undefined) return;
    const experiment = flag.experiment;
    // the engine marks enrolled answers with the experiment's name; others are outside its audience or traffic
    if (experiment !== undefined && result.metadata?.experiment === experiment.name && result.errorCode === undefined) {
      this.#record(snapshot.namespace, experiment.name, key, result.variant, context, true);
      return;
    }
    const guard = flag.rollout?.kind === "percentage" ? flag.rollout.guard : undefined;
    if (guard === undefined) return;
    const side = rolloutSide(flag, result);
    if (side !== undefined) this.#record(snapshot.namespace, guard.exposures, key, side, context, false);
  }

  #record(namespace: string, name: string, flag: string, variant: string, context: unknown, counted: boolean): void {
    const targetingKey = (context as { targetingKey?: unknown } | undefined)?.targetingKey;
    if (typeof targetingKey !== "string" || targetingKey === "") return;
    const id = `${namespace}\u0000${name}\u0000${targetingKey}`;
    if (this.#recent.has(id)) return;
    const added = this.#writer.add({
      kind: "exposure",
      namespace,
      experiment: name,
      flag,
      variant,
      targetingKey,
      at: Date.now(),
    });
    if (!added) return; // dropped (counted by the writer): try again at the user's next evaluation
    // rollout sides are not experiment variants: the experiment exposure metric stays per experiment
    if (counted) this.#count(name, variant);
    this.#remember(id);
  }

  #remember(id: string): void {
    this.#recent.add(id);
    this.#recentChars += id.length;
    while (this.#recent.size > this.#maxRecent || this.#recentChars > this.#maxRecentChars) {
      const oldest = this.#recent.values().next().value as string;
      this.#recent.delete(oldest);
      this.#recentChars -= oldest.length;
    }
  }
}
