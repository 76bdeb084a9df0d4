// --events-database for `vexil serve`, `vexil operator` and `vexil experiment`: a postgres://
// URL or a SQLite file. Directory mode defaults to <flags>/.vexil/events.db.
import type { ExperimentResource } from "../core/schema/index.ts";
import type { AnyResource } from "../core/manifest/resource.ts";
import { experimentDefinitions } from "../event-store/definitions.ts";
import { defaultEventsDatabase, openEventStore } from "../event-store/open.ts";
import type { EventStore } from "../event-store/store.ts";

export const EVENTS_DATABASE_HELP =
  "where experiment events go: postgres://user:pass@host/db, or a SQLite file (default <flags>/.vexil/events.db)";

/** The store named by the option, else the one beside the flags, else none (Kubernetes mode without the option). */
export function openEventsDatabase(option: string | undefined, flagsDir: string | undefined): EventStore | undefined {
  const location = option ?? (flagsDir === undefined ? undefined : defaultEventsDatabase(flagsDir));
  return location === undefined ? undefined : openEventStore(location);
}

/** Directory mode: the folder's experiments, stored so that readers of the store know their specs. */
export function storeExperiments(
  store: EventStore,
  namespace: string,
  resources: readonly AnyResource[],
): Promise<void> {
  const experiments = resources.filter((r): r is ExperimentResource => r.kind === "Experiment");
  return store.putExperiments(namespace, experimentDefinitions(experiments, namespace, Date.now()));
}
