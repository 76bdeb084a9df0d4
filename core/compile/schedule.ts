// Time-based rollouts resolved to the percentage in force at a moment. The snapshot holds only
// that percentage; `nextChangeAt` tells whoever compiles when to do it again.
import type { RolloutSpec } from "../schema/index.ts";
import { parseDuration } from "../schema/duration.ts";

export interface ScheduleState {
  percentage: number;
  /** gradual: index of the level in force (0 = from … steps = to); canary: promotions elapsed */
  step?: number;
  /** epoch ms of the next change, if the schedule will still change */
  nextChangeAt?: number;
}

export const DEFAULT_GRADUAL_STEPS = 10;

/** Bucketing resolves percentages to 1/1000 of a percent; keep steps on that grid. */
function roundPercentage(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A schedule frozen at pausedAt never changes after it. */
function clampToPause(next: number | undefined, paused: number | undefined): number | undefined {
  if (next === undefined) return undefined;
  return paused !== undefined && next > paused ? undefined : next;
}

/**
 * gradual: `steps` equal steps from `from` to `to` across `duration`. Level k (0…steps) holds
 * from start + k × duration/steps, so `from` holds before start and during the first step, and
 * `to` holds from start + duration on. A paused schedule stands as it did at pausedAt.
 */
export function gradualState(rollout: RolloutSpec, now: number): ScheduleState {
  const from = rollout.from ?? 0;
  const to = rollout.to ?? from;
  const start = Date.parse(rollout.start ?? "");
  const steps = rollout.steps ?? DEFAULT_GRADUAL_STEPS;
  const stepMs = (parseDuration(rollout.duration ?? "") ?? 0) / steps;
  const paused = rollout.pausedAt !== undefined ? Date.parse(rollout.pausedAt) : undefined;
  const at = paused !== undefined ? Math.min(now, paused) : now;
  let step = 0;
  if (at >= start) step = stepMs > 0 ? Math.min(steps, Math.floor((at - start) / stepMs)) : steps;
  const next = step < steps ? Math.ceil(start + (step + 1) * stepMs) : undefined;
  return {
    percentage: roundPercentage(from + ((to - from) * step) / steps),
    step,
    nextChangeAt: clampToPause(next, paused),
  };
}

/**
 * canary: nobody before start, `percentage` from start, then each promote[].percentage once
 * its `after` has elapsed since start (promotions are listed in time order).
 */
export function canaryState(rollout: RolloutSpec, now: number): ScheduleState {
  const start = Date.parse(rollout.start ?? "");
  const paused = rollout.pausedAt !== undefined ? Date.parse(rollout.pausedAt) : undefined;
  const at = paused !== undefined ? Math.min(now, paused) : now;
  if (at < start) return { percentage: 0, nextChangeAt: clampToPause(start, paused) };
  const promotions = (rollout.promote ?? []).map((p) => ({
    at: start + (parseDuration(p.after) ?? 0),
    percentage: p.percentage,
  }));
  let step = 0;
  let percentage = rollout.percentage ?? 0;
  for (const promotion of promotions) {
    if (promotion.at > at) break;
    step++;
    percentage = promotion.percentage;
  }
  return { percentage, step, nextChangeAt: clampToPause(promotions[step]?.at, paused) };
}

/** The percentage a gradual or canary rollout serves at a step (the last step past the end). */
export function stepPercentage(rollout: RolloutSpec, step: number): number {
  if (rollout.strategy === "gradual") {
    const from = rollout.from ?? 0;
    const steps = rollout.steps ?? DEFAULT_GRADUAL_STEPS;
    const k = Math.min(Math.max(step, 0), steps);
    return roundPercentage(from + (((rollout.to ?? from) - from) * k) / steps);
  }
  const promote = rollout.promote ?? [];
  if (step <= 0 || promote.length === 0) return rollout.percentage ?? 0;
  return promote[Math.min(step, promote.length) - 1]!.percentage;
}
