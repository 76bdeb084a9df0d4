// Where the TypeScript API keeps resources and its audit log. One interface so the in-memory,
// directory and (later) Kubernetes backends are interchangeable: resources are addressed by
// kind + name within the backend's namespace, exactly as the custom resources are.
import type { ExperimentResource, FeatureFlag, ResourceKind, SegmentResource } from "../../schema/index.ts";
import type { AuditEntry } from "../audit.ts";

export type StoredResource = FeatureFlag | SegmentResource | ExperimentResource;

export type ResourceOfKind<K extends ResourceKind> = Extract<StoredResource, { kind: K }>;

export interface FlagStorage {
  /** every resource of a kind, sorted by name */
  list<K extends ResourceKind>(kind: K): Promise<ResourceOfKind<K>[]>;
  get<K extends ResourceKind>(kind: K, name: string): Promise<ResourceOfKind<K> | undefined>;
  /** create or replace */
  put(resource: StoredResource): Promise<void>;
  /** true when something was deleted */
  delete(kind: ResourceKind, name: string): Promise<boolean>;
  /** audit entries are only ever appended, never rewritten */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** oldest first */
  readAudit(): Promise<AuditEntry[]>;
  close?(): Promise<void>;
  /**
   * Backends that can tell when someone else changed their resources (a watched directory) call
   * onChange then; the facade drops its cached definitions at once instead of after the 60 s TTL.
   * Returns the function that stops watching.
   */
  watch?(onChange: () => void): () => void;
}

export function byName(a: StoredResource, b: StoredResource): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
