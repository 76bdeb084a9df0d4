// The experiment definitions the store holds (written by the operator, or by `vexil serve` in
// directory mode), refreshed in the background every few seconds: request handlers read the
// last copy and never wait on the database.
import type { EventStore, ExperimentDefinition } from "../../event-store/store.ts";
import type { ExperimentLookup } from "./intake.ts";

export class ExperimentCatalog implements ExperimentLookup {
  readonly #store: EventStore;
  readonly #refreshMs: number;
  #definitions = new Map<string, ExperimentDefinition>();
  #refreshedAt = -Infinity;
  #attemptedAt = -Infinity;
  #refreshing: Promise<void> | undefined;

  constructor(store: EventStore, refreshMs = 5000) {
    this.#store = store;
    this.#refreshMs = refreshMs;
  }

  isKnownButNotRunning(namespace: string, name: string): boolean {
    this.#refreshSoon();
    const definition = this.#definitions.get(`${namespace}/${name}`);
    return definition !== undefined && definition.phase !== "Running";
  }

  /** The last copy of the namespace's definitions, without waiting. */
  cached(namespace: string): ExperimentDefinition[] {
    this.#refreshSoon();
    return [...this.#definitions.values()].filter((d) => d.namespace === namespace);
  }

  /** The namespace's definitions, fresh (waits for the store when the copy is older than the refresh interval). */
  async list(namespace: string): Promise<ExperimentDefinition[]> {
    if (Date.now() - this.#refreshedAt >= this.#refreshMs) await this.refresh();
    return [...this.#definitions.values()].filter((d) => d.namespace === namespace);
  }

  /** A miss asks the store again (at most once a second): the definition may have just been written. */
  async get(namespace: string, name: string): Promise<ExperimentDefinition | undefined> {
    const found = (await this.list(namespace)).find((d) => d.name === name);
    if (found !== undefined || Date.now() - this.#refreshedAt < 1000) return found;
    await this.refresh();
    return this.#definitions.get(`${namespace}/${name}`);
  }

  /** One refresh at a time; a failure keeps the last copy and is reported to the caller. */
  refresh(): Promise<void> {
    this.#attemptedAt = Date.now();
    this.#refreshing ??= this.#store
      .experiments()
      .then((definitions) => {
        this.#definitions = new Map(definitions.map((d) => [`${d.namespace}/${d.name}`, d]));
        this.#refreshedAt = Date.now();
      })
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  #refreshSoon(): void {
    if (Date.now() - this.#attemptedAt >= this.#refreshMs) this.refresh().catch(() => {});
  }
}
