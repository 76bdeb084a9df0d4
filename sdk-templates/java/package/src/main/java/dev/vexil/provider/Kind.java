package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The type a caller asked for, and how a JSON value becomes it. A whole number asked as a double
 * is a double; a number asked as an integer must be whole and fit an int.
 */
enum Kind {
  BOOLEAN("boolean"), STRING("string"), INTEGER("number"), DOUBLE("number"), OBJECT("object");

  /** The flag type the engine checks for this kind. */
  final String flagType;

  Kind(String flagType) {
    this.flagType = flagType;
  }

  /** The value as this kind, or null when it is not one. */
  Object convert(JsonNode value) {
    if (value == null) return null;
    return switch (this) {
      case BOOLEAN -> value.isBoolean() ? value.booleanValue() : null;
      case STRING -> value.isTextual() ? value.textValue() : null;
      case DOUBLE -> value.isNumber() ? value.doubleValue() : null;
      case INTEGER -> value.isNumber() && isWholeInt(value.doubleValue()) ? value.intValue() : null;
      case OBJECT -> value.isContainerNode() ? Json.value(value) : null;
    };
  }

  private static boolean isWholeInt(double d) {
    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
  }

  /** What the caller asked for, in the words of the mismatch message. */
  String asked() {
    return switch (this) {
      case BOOLEAN -> "boolean";
      case STRING -> "string";
      case INTEGER -> "integer";
      case DOUBLE -> "double";
      case OBJECT -> "object";
    };
  }

  /** The JSON type of a value, in the words of the mismatch message. */
  static String jsonType(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) return "null";
    if (value.isBoolean()) return "boolean";
    if (value.isNumber()) return "number";
    if (value.isTextual()) return "string";
    if (value.isArray()) return "array";
    return "object";
  }
}
