// In-memory storage: the default for `new FeatureFlagsInteraction()` and for tests.
// Resources are cloned in and out so callers can never mutate stored state by accident.
import type { ResourceKind } from "../../schema/index.ts";
import type { AuditEntry } from "../audit.ts";
import { byName, type FlagStorage, type ResourceOfKind, type StoredResource } from "./storage.ts";

export class MemoryStorage implements FlagStorage {
  readonly #resources = new Map<string, StoredResource>();
  readonly #audit: AuditEntry[] = [];

  async list<K extends ResourceKind>(kind: K): Promise<ResourceOfKind<K>[]> {
    const found = [...this.#resources.values()].filter((r) => r.kind === kind).sort(byName);
    return structuredClone(found) as ResourceOfKind<K>[];
  }

  async get<K extends ResourceKind>(kind: K, name: string): Promise<ResourceOfKind<K> | undefined> {
    const found = this.#resources.get(`${kind}/${name}`);
    return found === undefined ? undefined : (structuredClone(found) as ResourceOfKind<K>);
  }

  async put(resource: StoredResource): Promise<void> {
    this.#resources.set(`${resource.kind}/${resource.metadata.name}`, structuredClone(resource));
  }

  async delete(kind: ResourceKind, name: string): Promise<boolean> {
    return this.#resources.delete(`${kind}/${name}`);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#audit.push(structuredClone(entry));
  }

  async readAudit(): Promise<AuditEntry[]> {
    return structuredClone(this.#audit);
  }
}
