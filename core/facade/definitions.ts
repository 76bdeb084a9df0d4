// Definitions as evaluation sees them: the stored resources (cached 60 s) compiled into one
// snapshot per environment with the same compile() the operator and `vexil serve` use.
// Changes made through the same FeatureFlagsInteraction call invalidate() at once; changes
// made elsewhere (another process editing the directory) show up within the TTL.
import { compile } from "../compile/compile.ts";
import type { ManifestProblem } from "../manifest/load.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { TtlCache, type Clock } from "./cache.ts";
import type { FlagStorage, StoredResource } from "./storage/storage.ts";

export const DEFINITION_TTL_MS = 60_000;

export interface CompiledDefinitions {
  snapshot: Snapshot;
  problems: ManifestProblem[];
}

export class Definitions {
  readonly #storage: FlagStorage;
  readonly #clock: Clock;
  readonly #namespace: string;
  readonly #resources: TtlCache<Promise<StoredResource[]>>;
  readonly #compiled: TtlCache<Promise<CompiledDefinitions>>;

  constructor(storage: FlagStorage, clock: Clock, namespace: string, ttlMs = DEFINITION_TTL_MS) {
    this.#storage = storage;
    this.#clock = clock;
    this.#namespace = namespace;
    this.#resources = new TtlCache(ttlMs, clock, 1);
    this.#compiled = new TtlCache(ttlMs, clock, 1000);
  }

  /** every stored resource, read straight from storage (for changes) */
  async fresh(): Promise<StoredResource[]> {
    const [flags, segments, experiments] = await Promise.all([
      this.#storage.list("FeatureFlag"),
      this.#storage.list("Segment"),
      this.#storage.list("Experiment"),
    ]);
    return [...flags, ...segments, ...experiments];
  }

  /** every stored resource, cached (for reads) */
  resources(): Promise<StoredResource[]> {
    let pending = this.#resources.get("all");
    if (pending === undefined) {
      pending = this.fresh();
      // a failed read is not cached: the next call tries storage again
      pending.catch(() => this.#resources.clear());
      this.#resources.set("all", pending);
    }
    return pending;
  }

  compiled(environment: string): Promise<CompiledDefinitions> {
    let pending = this.#compiled.get(environment);
    if (pending === undefined) {
      pending = this.resources().then((resources) => {
        const output = compile(resources, {
          namespace: this.#namespace,
          environment,
          now: new Date(this.#clock()),
        });
        return { snapshot: output.snapshot, problems: output.problems };
      });
      pending.catch(() => this.#compiled.clear());
      this.#compiled.set(environment, pending);
    }
    return pending;
  }

  invalidate(): void {
    this.#resources.clear();
    this.#compiled.clear();
  }
}
