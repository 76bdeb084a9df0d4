package dev.vexil.engine;

import java.util.Map;

/**
 * One evaluation's outcome. On error the reason is ERROR, errorCode says why, variant is null and
 * value is the caller's default. metadata is shared between results and unmodifiable.
 */
public record EvaluationResult(
    String key,
    Object value,
    String variant,
    String reason,
    String errorCode,
    String errorMessage,
    Map<String, Object> metadata) {

  public static final String STATIC = "STATIC";
  public static final String DEFAULT = "DEFAULT";
  public static final String TARGETING_MATCH = "TARGETING_MATCH";
  public static final String SPLIT = "SPLIT";
  public static final String DISABLED = "DISABLED";
  public static final String PREREQUISITE_FAILED = "PREREQUISITE_FAILED";
  public static final String ERROR = "ERROR";

  public static final String PROVIDER_NOT_READY = "PROVIDER_NOT_READY";
  public static final String FLAG_NOT_FOUND = "FLAG_NOT_FOUND";
  public static final String PARSE_ERROR = "PARSE_ERROR";
  public static final String TYPE_MISMATCH = "TYPE_MISMATCH";
  public static final String TARGETING_KEY_MISSING = "TARGETING_KEY_MISSING";
  public static final String INVALID_CONTEXT = "INVALID_CONTEXT";
  public static final String GENERAL = "GENERAL";

  static EvaluationResult failure(String key, Object defaultValue, String code, String message) {
    return new EvaluationResult(key, defaultValue, null, ERROR, code, message, null);
  }
}
