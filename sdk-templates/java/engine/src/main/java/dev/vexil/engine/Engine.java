package dev.vexil.engine;

import java.util.Map;

/**
 * The evaluation order of core/evaluate/evaluate.ts, step for step: flag missing → FLAG_NOT_FOUND ·
 * type mismatch → TYPE_MISMATCH · bad context → INVALID_CONTEXT · killSwitch / disabled → offVariant
 * DISABLED · prerequisite unmet → PREREQUISITE_FAILED · target → TARGETING_MATCH · first matching rule
 * → TARGETING_MATCH or SPLIT · experiment → SPLIT · rollout → SPLIT / DEFAULT (ring, targeted:
 * TARGETING_MATCH) · weighted variants → SPLIT · defaultVariant → STATIC or DEFAULT. It never
 * throws: a malformed flag gives PARSE_ERROR, anything unexpected GENERAL.
 */
public final class Engine {
  public static final int MAX_PREREQUISITE_DEPTH = 16;
  private static final Map<String, Object> EMPTY = Map.of();

  private Engine() {}

  private static String expectedTypeOf(String flagType) {
    return flagType.equals("json") ? "object" : flagType;
  }

  /**
   * Evaluates flag key of snapshot for context: null (no context) or a Map of attributes; anything
   * else is INVALID_CONTEXT. expectedType is "boolean", "string", "number", "object" or null.
   */
  @SuppressWarnings("unchecked")
  public static EvaluationResult evaluate(
      Snapshot snapshot, String key, Object context, Object defaultValue, String expectedType) {
    try {
      if (snapshot == null) {
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.PROVIDER_NOT_READY, "no snapshot is loaded");
      }
      Object entry = snapshot.entry(key);
      if (entry == null) {
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.FLAG_NOT_FOUND, "flag \"" + key + "\" not found");
      }
      if (entry instanceof String problem) {
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.PARSE_ERROR, problem);
      }
      Flag flag = (Flag) entry;
      if (expectedType != null && !expectedTypeOf(flag.type).equals(expectedType)) {
        String message = "flag \"" + key + "\" is of type " + expectedTypeOf(flag.type) + ", not " + expectedType;
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.TYPE_MISMATCH, message);
      }
      if (context != null && !(context instanceof Map)) {
        String message = "evaluation context must be an object, got " + describe(context);
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.INVALID_CONTEXT, message);
      }
      Map<String, Object> ctx = context == null ? EMPTY : (Map<String, Object>) context;
      if (ctx.containsKey(Matcher.TARGETING_KEY) && !(ctx.get(Matcher.TARGETING_KEY) instanceof String)) {
        String message = "targetingKey must be a string, got " + describe(ctx.get(Matcher.TARGETING_KEY));
        return EvaluationResult.failure(key, defaultValue, EvaluationResult.INVALID_CONTEXT, message);
      }
      return answer(snapshot, flag, ctx, defaultValue, 0);
    } catch (RuntimeException | StackOverflowError e) {
      return EvaluationResult.failure(key, defaultValue, EvaluationResult.GENERAL, "evaluation failed: " + e);
    }
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof java.util.List || value instanceof Object[]) return "an array";
    if (value instanceof String) return "string";
    if (value instanceof Boolean) return "boolean";
    return Values.number(value) != null ? "number" : value.getClass().getSimpleName();
  }

  private static EvaluationResult served(Flag f, Flag.Variant v, String reason, Map<String, Object> metadata) {
    return new EvaluationResult(f.key, v.value(), v.name(), reason, null, null, metadata);
  }

  private static EvaluationResult answer(Snapshot s, Flag f, Map<String, Object> ctx, Object dflt, int depth) {
    if (f.fixedVariant != null) return served(f, f.fixedVariant, f.fixedReason, f.metadata);
    if (!f.prerequisites.isEmpty() && !prerequisitesMet(s, f, ctx, depth)) {
      return served(f, f.offVariant, EvaluationResult.PREREQUISITE_FAILED, f.metadata);
    }
    if (!f.targets.isEmpty() && ctx.get(Matcher.TARGETING_KEY) instanceof String user) {
      Flag.Variant target = f.targets.get(user);
      if (target != null) return served(f, target, EvaluationResult.TARGETING_MATCH, f.metadata);
    }
    for (Flag.Rule rule : f.rules) {
      if (!rule.matcher().matches(ctx)) continue;
      if (rule.split() != null) return serveSplit(f, rule.split(), ctx, dflt, rule.metadata());
      return served(f, rule.variant(), EvaluationResult.TARGETING_MATCH, rule.metadata());
    }
    if (f.experiment != null) {
      EvaluationResult enrolled = decideExperiment(f, f.experiment, ctx);
      if (enrolled != null) return enrolled;
    }
    if (f.rollout != null) return decideRollout(f, f.rollout, ctx, dflt);
    if (f.split != null) return serveSplit(f, f.split, ctx, dflt, f.metadata);
    String reason = f.hasTargeting ? EvaluationResult.DEFAULT : EvaluationResult.STATIC;
    return served(f, f.defaultVariant, reason, f.metadata);
  }

  private static boolean prerequisitesMet(Snapshot s, Flag f, Map<String, Object> ctx, int depth) {
    if (depth >= MAX_PREREQUISITE_DEPTH) return false;
    for (Flag.Prerequisite p : f.prerequisites) {
      if (!(s.entry(p.flag()) instanceof Flag required)) return false;
      EvaluationResult result = answer(s, required, ctx, null, depth + 1);
      if (result.errorCode() != null || result.variant() == null) return false;
      if (!p.variants().contains(result.variant())) return false;
    }
    return true;
  }

  /** The flag's bucketing attribute (string or safe integer), else the targetingKey. */
  static String bucketValue(Map<String, Object> ctx, String bucketBy) {
    if (!bucketBy.equals(Matcher.TARGETING_KEY)) {
      String value = Values.keyString(ctx.get(bucketBy));
      if (value != null) return value;
    }
    return ctx.get(Matcher.TARGETING_KEY) instanceof String key ? key : null;
  }

  private static EvaluationResult keyMissing(Flag f, Object dflt) {
    String by = f.bucketBy.equals(Matcher.TARGETING_KEY) ? "targetingKey" : "\"" + f.bucketBy + "\" or targetingKey";
    String message = "flag \"" + f.key + "\" buckets users by " + by + ", and the context has none";
    return EvaluationResult.failure(f.key, dflt, EvaluationResult.TARGETING_KEY_MISSING, message);
  }

  private static EvaluationResult serveSplit(
      Flag f, Flag.Split split, Map<String, Object> ctx, Object dflt, Map<String, Object> metadata) {
    String value = bucketValue(ctx, f.bucketBy);
    if (value == null) return keyMissing(f, dflt);
    Flag.Variant v = split.variants().get(Hashing.pickSplit(split.thresholds(), split.salt().bucket(value)));
    return served(f, v, EvaluationResult.SPLIT, metadata);
  }

  private static EvaluationResult decideExperiment(Flag f, Flag.Experiment e, Map<String, Object> ctx) {
    if (!e.audience().matches(ctx)) return null;
    String value = bucketValue(ctx, f.bucketBy);
    if (value == null || !Hashing.isInsideRollout(e.enrollmentSalt().bucket(value), e.traffic())) return null;
    Flag.Split split = e.split();
    Flag.Variant v = split.variants().get(Hashing.pickSplit(split.thresholds(), split.salt().bucket(value)));
    return served(f, v, EvaluationResult.SPLIT, e.metadata());
  }

  private static EvaluationResult inside(Flag f, Flag.Rollout r, Map<String, Object> ctx, Object dflt, String reason) {
    if (r.variant() != null) return served(f, r.variant(), reason, f.metadata);
    Flag.Split split = r.split() != null ? r.split() : f.split;
    if (split != null) return serveSplit(f, split, ctx, dflt, f.metadata);
    return served(f, f.defaultVariant, reason, f.metadata);
  }

  private static EvaluationResult decideRollout(Flag f, Flag.Rollout r, Map<String, Object> ctx, Object dflt) {
    if (r.matchers() != null) {
      for (Matcher m : r.matchers()) {
        if (m.matches(ctx)) return inside(f, r, ctx, dflt, EvaluationResult.TARGETING_MATCH);
      }
      return served(f, f.offVariant, EvaluationResult.DEFAULT, f.metadata);
    }
    boolean in = false;
    if (r.percentage() >= 100) {
      in = true;
    } else if (r.percentage() > 0) {
      String value = bucketValue(ctx, f.bucketBy);
      if (value == null) return keyMissing(f, dflt);
      in = Hashing.isInsideRollout(r.salt().bucket(value), r.percentage());
    }
    if (!in) return served(f, f.offVariant, EvaluationResult.DEFAULT, f.metadata);
    return inside(f, r, ctx, dflt, EvaluationResult.SPLIT);
  }
}
