// The event store: exposures and metric events in, experiment aggregates out.
export type {
  EventRecord,
  EventStore,
  ExperimentDefinition,
  ExperimentQuery,
  ExposureRecord,
  FlagUsage,
  FlagVariantUsers,
  MetricRecord,
  UsageQuery,
  UsageRecord,
} from "./store.ts";
export { defaultEventsDatabase, isPostgresUrl, openEventStore, STATE_DIR } from "./open.ts";
export { SqliteEventStore } from "./sqlite.ts";
export { PostgresEventStore, describePostgres } from "./postgres.ts";
export { EventWriter, type DropReason, type EventWriterOptions, type WriterStats } from "./writer.ts";
export { MIGRATIONS, type Migration } from "./migrations.ts";
export { experimentResults, experimentResultsReader, experimentQuery, type ExperimentResults } from "./results.ts";
export { experimentDefinitions, experimentPhase } from "./definitions.ts";
