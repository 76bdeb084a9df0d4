// Experiment results for GET /v1/experiments, computed from the store and kept a few seconds:
// dashboards polling every second cost one aggregation per experiment per interval, and
// concurrent requests share the computation in flight.
import type { ExperimentDefinition } from "../../event-store/store.ts";
import { experimentResults, type ExperimentResults } from "../../event-store/results.ts";
import type { EventStore } from "../../event-store/store.ts";

export class ResultsCache {
  readonly #store: EventStore;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { at: number; results: Promise<ExperimentResults> }>();

  constructor(store: EventStore, ttlMs = 5000) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  get(definition: ExperimentDefinition): Promise<ExperimentResults> {
    const id = `${definition.namespace}/${definition.name}`;
    const now = Date.now();
    const cached = this.#entries.get(id);
    if (cached !== undefined && now - cached.at < this.#ttlMs) return cached.results;
    const results = experimentResults(this.#store, definition, now);
    this.#entries.set(id, { at: now, results });
    // a failure is not cached: the next request asks the store again
    results.catch(() => this.#entries.delete(id));
    // experiments deleted since stay no longer than one interval
    for (const [key, entry] of this.#entries) if (now - entry.at >= this.#ttlMs) this.#entries.delete(key);
    return results;
  }
}
