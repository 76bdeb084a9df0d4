// A rollout resolved for one moment: percentage strategies become the percentage in force,
// ring and targeted strategies become audience matchers.
import type { RolloutSpec } from "../schema/index.ts";
import type { CompiledMatcher, CompiledRollout, WeightedVariant } from "../snapshot/snapshot.ts";
import { exposureKey, guardState, rolloutFingerprint, type GuardDirective, type GuardedRollout } from "./guard.ts";
import { canaryState, gradualState, type ScheduleState } from "./schedule.ts";
import { matcher, type SegmentLookup } from "./segments.ts";

export interface RolloutContext {
  flagKey: string;
  defaultVariant: string;
  /** the flag's weighted variants, served inside the rollout when it names no variant */
  split: WeightedVariant[] | undefined;
  lookup: SegmentLookup;
  now: number;
  environment: string;
  /** present when the operator enforces guardrails: what they allow for this flag (undefined: nothing yet) */
  guards?: { directive: GuardDirective | undefined };
}

export interface ResolvedRollout {
  rollout: CompiledRollout;
  /** percentage strategies only: the state in force, for status and scheduling */
  state?: ScheduleState;
  /** gradual and canary with guardrails, when the operator enforces them */
  guarded?: GuardedRollout;
}

/** ring: users in any ring up to and including currentRing; each segment or value list is one way in. */
function ringMatchers(rollout: RolloutSpec, lookup: SegmentLookup): CompiledMatcher[] {
  const rings = rollout.rings ?? [];
  const current = rings.findIndex((ring) => ring.name === rollout.currentRing);
  return rings.slice(0, current + 1).flatMap((ring) => {
    const matchers = (ring.segments ?? []).map((name) => matcher([name], [], lookup));
    if (ring.values && ring.values.length > 0) {
      matchers.push({
        segments: [],
        conditions: [{ attribute: ring.attribute ?? "targetingKey", operator: "in", values: ring.values }],
      });
    }
    return matchers;
  });
}

function served(rollout: RolloutSpec, context: RolloutContext): { variant?: string; split?: WeightedVariant[] } {
  if (rollout.variant !== undefined) return { variant: rollout.variant };
  return context.split ? { split: context.split } : { variant: context.defaultVariant };
}

export function resolveRollout(rollout: RolloutSpec, context: RolloutContext): ResolvedRollout {
  const common = {
    ...served(rollout, context),
    salt: rollout.salt ?? context.flagKey,
    bucketBy: rollout.bucketBy ?? "targetingKey",
  };
  switch (rollout.strategy) {
    case "ring":
      return {
        rollout: { kind: "audience", strategy: "ring", matchers: ringMatchers(rollout, context.lookup), ...common },
      };
    case "targeted": {
      // members of any listed segment are inside (one matcher per segment)
      const matchers = (rollout.segments ?? []).map((name) => matcher([name], [], context.lookup));
      return { rollout: { kind: "audience", strategy: "targeted", matchers, ...common } };
    }
    case "percentage": {
      const state: ScheduleState = { percentage: rollout.percentage ?? 0 };
      return {
        rollout: { kind: "percentage", strategy: "percentage", percentage: state.percentage, ...common },
        state,
      };
    }
    case "gradual":
    case "canary": {
      const scheduled =
        rollout.strategy === "gradual" ? gradualState(rollout, context.now) : canaryState(rollout, context.now);
      const guarded = rollout.guardrails && context.guards ? guard(rollout, scheduled, context) : undefined;
      const state = guarded?.state ?? scheduled;
      const compiled: CompiledRollout = {
        kind: "percentage",
        strategy: rollout.strategy,
        percentage: state.percentage,
        ...common,
      };
      if (state.step !== undefined) compiled.step = state.step;
      if (guarded && !guarded.info.rolledBack) compiled.guard = { exposures: guarded.info.exposureKey };
      return { rollout: compiled, state, ...(guarded ? { guarded: guarded.info } : {}) };
    }
  }
}

function guard(
  rollout: RolloutSpec,
  scheduled: ScheduleState,
  context: RolloutContext,
): { state: ScheduleState; info: GuardedRollout } {
  const fingerprint = rolloutFingerprint(rollout);
  const decided = guardState(rollout, scheduled, context.guards?.directive, fingerprint);
  const step = decided.state.step ?? 0;
  const info: GuardedRollout = {
    rollout: fingerprint,
    guardrails: rollout.guardrails!,
    exposureKey: exposureKey(context.flagKey, context.environment, fingerprint, step),
    scheduledStep: scheduled.step ?? 0,
    step,
    rolledBack: decided.rolledBack,
  };
  if (decided.heldPercentage !== undefined) info.heldPercentage = decided.heldPercentage;
  return { state: decided.state, info };
}
