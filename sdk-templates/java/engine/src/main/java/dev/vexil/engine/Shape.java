package dev.vexil.engine;

import java.util.List;
import java.util.Map;

/**
 * Shape checks for snapshot content: a malformed flag becomes a PARSE_ERROR naming the bad field. A
 * key that is absent differs from one that is null, as in the TypeScript engine.
 */
final class Shape {
  private Shape() {}

  /** A snapshot entry that cannot be evaluated; the message names the field. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> expectObject(Object value, String where) {
    if (!(value instanceof Map)) throw new Malformed(where + " must be an object");
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> expectArray(Object value, String where) {
    if (!(value instanceof List)) throw new Malformed(where + " must be an array");
    return (List<Object>) value;
  }

  /** An absent key reads as empty; null or another type is malformed. */
  static List<Object> optionalArray(Map<String, Object> o, String key, String where) {
    return o.containsKey(key) ? expectArray(o.get(key), where) : List.of();
  }

  static String expectString(Object value, String where) {
    if (!(value instanceof String s)) throw new Malformed(where + " must be a string");
    return s;
  }

  static double expectNumber(Object value, String where) {
    Double n = Values.number(value);
    if (n == null || !Double.isFinite(n)) throw new Malformed(where + " must be a finite number");
    return n;
  }
}
