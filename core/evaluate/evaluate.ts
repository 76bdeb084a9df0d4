// The one evaluate function: evaluator, facade and SDK reference vectors all go through it.
// Order (docs/evaluation.md): flag missing → FLAG_NOT_FOUND · type mismatch →
// TYPE_MISMATCH · bad context → INVALID_CONTEXT · killSwitch / disabled → offVariant DISABLED ·
// prerequisite unmet → offVariant PREREQUISITE_FAILED · individual target → TARGETING_MATCH ·
// first matching rule → variant TARGETING_MATCH or split SPLIT · experiment (enrolled users) →
// SPLIT · rollout → SPLIT inside, offVariant DEFAULT outside (ring/targeted: TARGETING_MATCH
// inside) · weighted variants → SPLIT · defaultVariant → STATIC without targeting, else DEFAULT.
// It never throws: malformed snapshots give PARSE_ERROR, and a last-resort catch gives GENERAL.
import type { Snapshot } from "../snapshot/snapshot.ts";
import { asContext, contextProblem, targetingKeyOf, type Context } from "./context.ts";
import { lookupFlag } from "./prepare.ts";
import type { PreparedFlag } from "./prepared.ts";
import { ErrorCode, Reason, type EvaluateOptions, type EvaluationResult, type FlagContext } from "./result.ts";
import { failure, served } from "./results.ts";
import { matches } from "./segments.ts";
import { decideExperiment, decideRollout, serveSplit } from "./rollout.ts";
import { MAX_PREREQUISITE_DEPTH } from "../limits.ts";

export { MAX_PREREQUISITE_DEPTH };

/**
 * The variant each prerequisite flag served during one evaluation (null: an error or no variant).
 * A prerequisite shared by many flags of the DAG (a diamond) is evaluated once, so one
 * evaluation costs at most the flags it reaches, never the paths to them.
 */
type PrerequisiteAnswers = Map<string, string | null>;

const EXPECTED_TYPE = { boolean: "boolean", string: "string", number: "number", json: "object" } as const;

/**
 * Evaluates flag `key` of `snapshot` for `context`. On error the result carries reason ERROR,
 * an OpenFeature error code and `options.defaultValue` as its value.
 */
export function evaluate(
  snapshot: Snapshot,
  key: string,
  context: FlagContext | unknown,
  options?: EvaluateOptions,
): EvaluationResult {
  try {
    if (typeof key !== "string")
      return failure(String(key), options, ErrorCode.FLAG_NOT_FOUND, "flag key must be a string");
    const flag = lookupFlag(snapshot, key);
    if (flag === undefined) return failure(key, options, ErrorCode.FLAG_NOT_FOUND, `flag "${key}" not found`);
    if (typeof flag === "string") return failure(key, options, ErrorCode.PARSE_ERROR, flag);
    const expected = options?.expectedType;
    if (expected !== undefined && EXPECTED_TYPE[flag.type] !== expected) {
      const message = `flag "${key}" is of type ${EXPECTED_TYPE[flag.type]}, not ${String(expected)}`;
      return failure(key, options, ErrorCode.TYPE_MISMATCH, message);
    }
    const problem = contextProblem(context);
    if (problem !== undefined) return failure(key, options, ErrorCode.INVALID_CONTEXT, problem);
    return answer(snapshot, flag, asContext(context), options, undefined, 0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(String(key), options, ErrorCode.GENERAL, `evaluation failed: ${message}`);
  }
}

/**
 * The flag's answer for a context. Killed and disabled flags, and flags with nothing to decide,
 * have it prepared; this stays small so that V8 inlines it and a static evaluation makes no
 * call into the (larger) decision steps.
 */
function answer(
  snapshot: unknown,
  flag: PreparedFlag,
  context: Context,
  options: EvaluateOptions | undefined,
  answers: PrerequisiteAnswers | undefined,
  depth: number,
): EvaluationResult {
  const fixed = flag.fixed;
  if (fixed !== undefined) return served(flag, fixed.variant, fixed.reason, flag.metadata);
  return decide(snapshot, flag, context, options, answers, depth);
}

/** The decision steps after killSwitch / disabled, for a flag without a prepared answer. */
function decide(
  snapshot: unknown,
  flag: PreparedFlag,
  context: Context,
  options: EvaluateOptions | undefined,
  answers: PrerequisiteAnswers | undefined,
  depth: number,
): EvaluationResult {
  if (flag.prerequisites.length > 0 && !prerequisitesMet(snapshot, flag, context, answers ?? new Map(), depth)) {
    return served(flag, flag.offVariant, Reason.PREREQUISITE_FAILED, flag.metadata);
  }
  if (flag.targets.size > 0) {
    const target = flag.targets.get(targetingKeyOf(context) as string);
    if (target !== undefined) return served(flag, target, Reason.TARGETING_MATCH, flag.metadata);
  }
  for (const rule of flag.rules) {
    if (!matches(rule, context)) continue;
    if (rule.split !== undefined) return serveSplit(flag, rule.split, context, options, rule.metadata);
    return served(flag, rule.variant!, Reason.TARGETING_MATCH, rule.metadata);
  }
  if (flag.experiment !== undefined) {
    const enrolled = decideExperiment(flag, flag.experiment, context);
    if (enrolled !== undefined) return enrolled;
  }
  if (flag.rollout !== undefined) return decideRollout(flag, flag.rollout, context, options);
  if (flag.split !== undefined) return serveSplit(flag, flag.split, context, options, flag.metadata);
  return served(flag, flag.defaultVariant, flag.hasTargeting ? Reason.DEFAULT : Reason.STATIC, flag.metadata);
}

/** Each prerequisite flag, evaluated with the same context, must serve one of its listed variants. */
function prerequisitesMet(
  snapshot: unknown,
  flag: PreparedFlag,
  context: Context,
  answers: PrerequisiteAnswers,
  depth: number,
): boolean {
  // Validation refuses deeper chains and cycles, so only an unvalidated snapshot gets here; it is
  // answered as every SDK port answers it (test/vectors): the prerequisite counts as unmet.
  if (depth >= MAX_PREREQUISITE_DEPTH) return false;
  for (const prerequisite of flag.prerequisites) {
    let variant = answers.get(prerequisite.flag);
    if (variant === undefined) {
      variant = prerequisiteVariant(snapshot, prerequisite.flag, context, answers, depth + 1);
      answers.set(prerequisite.flag, variant);
    }
    if (variant === null || !prerequisite.variants.has(variant)) return false;
  }
  return true;
}

function prerequisiteVariant(
  snapshot: unknown,
  key: string,
  context: Context,
  answers: PrerequisiteAnswers,
  depth: number,
): string | null {
  const required = lookupFlag(snapshot, key);
  if (required === undefined || typeof required === "string") return null;
  const result = answer(snapshot, required, context, undefined, answers, depth);
  return result.errorCode !== undefined || result.variant === undefined ? null : result.variant;
}
