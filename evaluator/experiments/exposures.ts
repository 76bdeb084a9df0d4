// Exposures recorded by evaluation: when the engine enrolls a user in a flag's running
// experiment, the evaluator writes (experiment, variant, user, time) to the event buffer.
// A user evaluated a thousand times is one exposure: recently recorded users are remembered
// (a bounded set, oldest forgotten first) so that hot users cost no buffer space or writes.
import type { EvaluationResult } from "../../core/evaluate/result.ts";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EventWriter } from "../../event-store/writer.ts";

export interface ExposureCounter {
  (experiment: string, variant: string): void;
}

export class ExposureRecorder {
  readonly #writer: EventWriter;
  readonly #recent = new Set<string>();
  readonly #maxRecent: number;
  readonly #count: ExposureCounter;

  constructor(writer: EventWriter, count: ExposureCounter, maxRecent = 50_000) {
    this.#writer = writer;
    this.#count = count;
    this.#maxRecent = maxRecent;
  }

  /** Called after every evaluation; cheap unless the flag has a running experiment. */
  observe(snapshot: Snapshot, key: string, context: unknown, result: EvaluationResult): void {
    const experiment = snapshot.flags[key]?.experiment;
    if (experiment === undefined || result.variant === undefined) return;
    // the engine marks enrolled answers with the experiment's name; others are outside its audience or traffic
    if (result.metadata?.experiment !== experiment.name || result.errorCode !== undefined) return;
    const targetingKey = (context as { targetingKey?: unknown } | undefined)?.targetingKey;
    if (typeof targetingKey !== "string" || targetingKey === "") return;
    const id = `${snapshot.namespace}\u0000${experiment.name}\u0000${targetingKey}`;
    if (this.#recent.has(id)) return;
    const added = this.#writer.add({
      kind: "exposure",
      namespace: snapshot.namespace,
      experiment: experiment.name,
      flag: key,
      variant: result.variant,
      targetingKey,
      at: Date.now(),
    });
    if (!added) return; // dropped (counted by the writer): try again at the user's next evaluation
    this.#count(experiment.name, result.variant);
    if (this.#recent.size >= this.#maxRecent) this.#recent.delete(this.#recent.values().next().value as string);
    this.#recent.add(id);
  }
}
