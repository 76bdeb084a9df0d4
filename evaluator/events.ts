// Exposure, conversion and value events sent by SDKs in batches (POST /v1/events), kept in
// memory with per-flag/variant counters that experiment analysis reads. Everything is bounded:
// a ring of recent events, and per flag at most `maxUsersPerFlag` remembered users (past that,
// events are still counted but no longer attributed to a new user).
import { z } from "zod";

export const MAX_EVENTS_PER_BATCH = 1000;

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
    if (e.type === "exposure" && (e.flag === undefined || e.variant === undefined)) {
      ctx.addIssue({ code: "custom", message: "an exposure needs flag and variant" });
    }
    if (e.type !== "exposure" && e.event === undefined) {
      ctx.addIssue({ code: "custom", message: `a ${e.type} event needs an event name` });
    }
    if (e.type === "value" && e.value === undefined) {
      ctx.addIssue({ code: "custom", message: "a value event needs a numeric value" });
    }
  });
export type TrackedEvent = z.infer<typeof trackedEventSchema>;

export const eventBatchSchema = z
  .array(trackedEventSchema)
  .min(1, { message: "a batch holds at least one event" })
  .max(MAX_EVENTS_PER_BATCH, { message: `a batch holds at most ${MAX_EVENTS_PER_BATCH} events` });

export interface VariantExposures {
  exposures: number;
  users: number;
}

export interface VariantOutcome {
  /** conversion or value events attributed to the variant */
  count: number;
  /** distinct users with at least one such event */
  users: number;
  /** value events: sum and sum of squares, for means and variances */
  sum: number;
  sumOfSquares: number;
}

interface FlagState {
  /** targetingKey → the variant the user was exposed to first */
  assignments: Map<string, string>;
  exposures: Map<string, VariantExposures>;
  /** `${event}\u0000${variant}` → outcome */
  outcomes: Map<string, VariantOutcome & { userSet: Set<string> }>;
}

export interface EventStoreOptions {
  /** recent events kept for inspection */
  capacity?: number;
  maxUsersPerFlag?: number;
  maxFlags?: number;
}

export class EventStore {
  readonly #capacity: number;
  readonly #maxUsers: number;
  readonly #maxFlags: number;
  readonly #recent: TrackedEvent[] = [];
  readonly #flags = new Map<string, FlagState>();
  #total = 0;
  #unattributed = 0;

  constructor(options: EventStoreOptions = {}) {
    this.#capacity = options.capacity ?? 10_000;
    this.#maxUsers = options.maxUsersPerFlag ?? 100_000;
    this.#maxFlags = options.maxFlags ?? 10_000;
  }

  /** Records validated events; returns how many were attributed to a flag variant. */
  add(events: readonly TrackedEvent[]): { accepted: number; attributed: number } {
    let attributed = 0;
    for (const event of events) {
      this.#total += 1;
      this.#recent.push(event);
      if (this.#recent.length > this.#capacity) this.#recent.shift();
      if (this.#record(event)) attributed += 1;
      else this.#unattributed += 1;
    }
    return { accepted: events.length, attributed };
  }

  /** Exposures per variant of a flag. */
  exposures(flag: string): Record<string, VariantExposures> {
    return Object.fromEntries(this.#flags.get(flag)?.exposures ?? []);
  }

  /** Conversions (or values) of one event per variant of a flag. */
  outcomes(flag: string, event: string): Record<string, VariantOutcome> {
    const result: Record<string, VariantOutcome> = {};
    for (const [id, { userSet: _users, ...outcome }] of this.#flags.get(flag)?.outcomes ?? []) {
      const [eventName, variant] = id.split("\u0000") as [string, string];
      if (eventName === event) result[variant] = { ...outcome };
    }
    return result;
  }

  recent(limit = 100): TrackedEvent[] {
    return this.#recent.slice(-limit);
  }

  stats(): { total: number; unattributed: number; flags: number } {
    return { total: this.#total, unattributed: this.#unattributed, flags: this.#flags.size };
  }

  #record(event: TrackedEvent): boolean {
    const state = event.flag === undefined ? undefined : this.#state(event.flag);
    if (state === undefined) return false;
    if (event.type === "exposure") {
      const variant = event.variant as string;
      const isNewUser = !state.assignments.has(event.targetingKey) && state.assignments.size < this.#maxUsers;
      if (isNewUser) state.assignments.set(event.targetingKey, variant);
      const counts = state.exposures.get(variant) ?? { exposures: 0, users: 0 };
      counts.exposures += 1;
      if (isNewUser) counts.users += 1;
      state.exposures.set(variant, counts);
      return true;
    }
    // a conversion counts for the variant the user was exposed to, unless the SDK says which
    const variant = event.variant ?? state.assignments.get(event.targetingKey);
    if (variant === undefined) return false;
    const id = `${event.event}\u0000${variant}`;
    const outcome = state.outcomes.get(id) ?? { count: 0, users: 0, sum: 0, sumOfSquares: 0, userSet: new Set() };
    outcome.count += 1;
    if (!outcome.userSet.has(event.targetingKey) && outcome.userSet.size < this.#maxUsers) {
      outcome.userSet.add(event.targetingKey);
      outcome.users += 1;
    }
    const value = event.type === "value" ? (event.value ?? 0) : 1;
    outcome.sum += value;
    outcome.sumOfSquares += value * value;
    state.outcomes.set(id, outcome);
    return true;
  }

  /** The flag's counters; undefined once maxFlags distinct flags are tracked (keys come from clients). */
  #state(flag: string): FlagState | undefined {
    let state = this.#flags.get(flag);
    if (state === undefined) {
      if (this.#flags.size >= this.#maxFlags) return undefined;
      state = { assignments: new Map(), exposures: new Map(), outcomes: new Map() };
      this.#flags.set(flag, state);
    }
    return state;
  }
}
