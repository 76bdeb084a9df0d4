// Who caused the next snapshot change: each recorded spec change is remembered per namespace ×
// environment until that environment's next reconcile takes it, and a snapshot.updated webhook
// names those people (and their tools). A reconcile takes the list before reading the cache, so
// a change that lands meanwhile stays for the reconcile that compiles it.
import type { AuditRecord } from "./recorder.ts";

export interface ChangeAttribution {
  kind: string;
  name: string;
  reason: string;
  /** the person (admission policy stamp); absent for deletions and unstamped changes */
  user?: string;
  /** the tool (field manager) */
  fieldManager?: string;
}

/** Per namespace × environment; a flood keeps the newest entries. */
const MAX_PENDING = 100;

export class PendingAttributions {
  readonly #pending = new Map<string, ChangeAttribution[]>();

  add(record: AuditRecord, environments: readonly string[]): void {
    const entry: ChangeAttribution = { kind: record.kind, name: record.name, reason: record.reason };
    if (record.user) entry.user = record.user;
    if (record.fieldManager) entry.fieldManager = record.fieldManager;
    for (const environment of environments) {
      const key = `${record.namespace}/${environment}`;
      const list = this.#pending.get(key) ?? [];
      list.push(entry);
      if (list.length > MAX_PENDING) list.splice(0, list.length - MAX_PENDING);
      this.#pending.set(key, list);
    }
  }

  /** The changes waiting for this namespace × environment, oldest first; the list is emptied. */
  take(namespace: string, environment: string): ChangeAttribution[] {
    const key = `${namespace}/${environment}`;
    const list = this.#pending.get(key) ?? [];
    this.#pending.delete(key);
    return list;
  }
}
