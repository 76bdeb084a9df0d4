// POST /v1/events: exposures (from SDKs that evaluate locally), conversions and numeric values.
// Validation names the field at fault; events for experiments that are not running here are
// accepted but ignored, each counted by reason, so an SDK with an old snapshot never gets errors.
import { z } from "zod";
import type { Snapshot } from "../../core/snapshot/snapshot.ts";
import type { EventRecord } from "../../event-store/store.ts";

export const MAX_EVENTS_PER_BATCH = 1000;
/** client clocks run a little fast; an event further ahead than this is refused */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const key = z.string().min(1).max(253);
export const trackedEventSchema = z
  .object({
    type: z.enum(["exposure", "conversion", "value"]),
    flag: key.optional(),
    experiment: key.optional(),
    variant: z.string().min(1).max(63).optional(),
    targetingKey: z.string().min(1).max(1024),
    event: key.optional(),
    value: z.number().finite().optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === "exposure" && e.variant === undefined) {
      ctx.addIssue({ code: "custom", path: ["variant"], message: "an exposure needs the variant served" });
    }
    if (e.type === "exposure" && e.flag === undefined && e.experiment === undefined) {
      ctx.addIssue({ code: "custom", path: ["flag"], message: "an exposure needs a flag or an experiment" });
    }
    if (e.type !== "exposure" && e.event === undefined) {
      ctx.addIssue({ code: "custom", path: ["event"], message: `a ${e.type} event needs an event name` });
    }
    if (e.type === "value" && e.value === undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "a value event needs a numeric value" });
    }
  });
export type TrackedEvent = z.infer<typeof trackedEventSchema>;

export const eventBatchSchema = z.array(trackedEventSchema).min(1, { message: "a batch holds at least one event" });

export type IgnoreReason =
  | "unknown_experiment"
  | "experiment_not_running"
  | "unknown_flag"
  | "no_running_experiment"
  | "flag_mismatch"
  | "unknown_variant"
  | "no_event_store";

export interface IntakeResult {
  records: EventRecord[];
  ignored: Partial<Record<IgnoreReason, number>>;
}

/** What the intake knows about experiments beyond the snapshot (definitions in the store). */
export interface ExperimentLookup {
  /** true when the namespace has an experiment of this name that is pending or stopped */
  isKnownButNotRunning(namespace: string, name: string): boolean;
}

/** Events timestamped further ahead than the allowed clock skew: their index, for a 400. */
export function futureEvent(events: readonly TrackedEvent[], now: number): number {
  return events.findIndex((e) => e.timestamp !== undefined && Date.parse(e.timestamp) > now + MAX_CLOCK_SKEW_MS);
}

function runningByName(snapshot: Snapshot): Map<string, { flag: string; variants: Set<string> }> {
  const running = new Map<string, { flag: string; variants: Set<string> }>();
  for (const flag of Object.values(snapshot.flags)) {
    const experiment = flag.experiment;
    if (experiment)
      running.set(experiment.name, { flag: flag.key, variants: new Set(experiment.split.map((s) => s.variant)) });
  }
  return running;
}

/** Turns a validated batch into store records; what cannot count for a running experiment is tallied by reason. */
export function intake(
  snapshot: Snapshot,
  events: readonly TrackedEvent[],
  lookup: ExperimentLookup,
  now: number,
): IntakeResult {
  const { namespace } = snapshot;
  const running = runningByName(snapshot);
  const records: EventRecord[] = [];
  const ignored: IntakeResult["ignored"] = {};
  const ignore = (reason: IgnoreReason) => (ignored[reason] = (ignored[reason] ?? 0) + 1);
  const notRunning = (name: string): IgnoreReason =>
    lookup.isKnownButNotRunning(namespace, name) ? "experiment_not_running" : "unknown_experiment";
  for (const event of events) {
    const at = event.timestamp === undefined ? now : Date.parse(event.timestamp);
    if (event.type !== "exposure") {
      if (event.experiment !== undefined && !running.has(event.experiment)) {
        ignore(notRunning(event.experiment));
        continue;
      }
      const value = event.type === "value" ? (event.value as number) : 1;
      records.push({
        kind: "metric",
        namespace,
        event: event.event as string,
        targetingKey: event.targetingKey,
        value,
        at,
      });
      continue;
    }
    let name = event.experiment;
    if (name === undefined) {
      const flag = snapshot.flags[event.flag as string];
      if (flag === undefined || !Object.hasOwn(snapshot.flags, event.flag as string)) {
        ignore("unknown_flag");
        continue;
      }
      if (flag.experiment === undefined) {
        ignore("no_running_experiment");
        continue;
      }
      name = flag.experiment.name;
    }
    const experiment = running.get(name);
    if (experiment === undefined) ignore(notRunning(name));
    else if (event.flag !== undefined && event.flag !== experiment.flag) ignore("flag_mismatch");
    else if (!experiment.variants.has(event.variant as string)) ignore("unknown_variant");
    else {
      const { variant, targetingKey } = event as { variant: string; targetingKey: string };
      records.push({ kind: "exposure", namespace, experiment: name, flag: experiment.flag, variant, targetingKey, at });
    }
  }
  return { records, ignored };
}
