package dev.vexil.engine;

import static dev.vexil.engine.Shape.expectObject;
import static dev.vexil.engine.Shape.optionalArray;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "All of these segments and all of these conditions", shared by rules, ring/targeted rollouts and
 * experiment audiences. Segment membership: the key attribute listed in excluded → not a member
 * (exclusion wins); in included → member; otherwise its conditions decide (match all|any); a segment
 * without conditions has only its included users.
 */
final class Matcher {
  static final String TARGETING_KEY = "targetingKey";

  private record Segment(String key, Set<String> included, Set<String> excluded, boolean matchAny, List<Condition> conditions) {
    boolean has(Map<String, Object> context) {
      String key = Values.keyString(context.get(this.key));
      if (key != null) {
        if (excluded.contains(key)) return false;
        if (included.contains(key)) return true;
      }
      if (conditions.isEmpty()) return false;
      for (Condition c : conditions) if (c.test(context) == matchAny) return matchAny;
      return !matchAny;
    }
  }

  private final List<Segment> segments;
  private final List<Condition> conditions;

  private Matcher(List<Segment> segments, List<Condition> conditions) {
    this.segments = segments;
    this.conditions = conditions;
  }

  boolean matches(Map<String, Object> context) {
    for (Segment s : segments) if (!s.has(context)) return false;
    for (Condition c : conditions) if (!c.test(context)) return false;
    return true;
  }

  private static Set<String> stringSet(Map<String, Object> o, String key, String where) {
    Set<String> set = new HashSet<>();
    for (Object value : optionalArray(o, key, where)) {
      if (!(value instanceof String s)) throw new Shape.Malformed(where + " must hold strings");
      set.add(s);
    }
    return set;
  }

  static List<Condition> conditions(Map<String, Object> o, String where) {
    List<Condition> out = new ArrayList<>();
    List<Object> raw = optionalArray(o, "conditions", where);
    for (int i = 0; i < raw.size(); i++) out.add(Condition.prepare(raw.get(i), where + "[" + i + "]"));
    return out;
  }

  private static Segment segment(Object raw, String where) {
    Map<String, Object> o = expectObject(raw, where);
    Object key = o.containsKey("key") ? o.get("key") : TARGETING_KEY;
    if (!(key instanceof String k)) throw new Shape.Malformed(where + ".key must be a string");
    Object match = o.get("match");
    if (o.containsKey("match") && !"all".equals(match) && !"any".equals(match)) {
      throw new Shape.Malformed(where + ".match must be \"all\" or \"any\"");
    }
    return new Segment(
        k,
        stringSet(o, "included", where + ".included"),
        stringSet(o, "excluded", where + ".excluded"),
        "any".equals(match),
        conditions(o, where + ".conditions"));
  }

  /** A matcher from raw (present: whether the key was there at all; absent matches everyone). */
  static Matcher prepare(Object raw, boolean present, String where) {
    Map<String, Object> o = present ? expectObject(raw, where) : Map.of();
    List<Segment> segments = new ArrayList<>();
    List<Object> rawSegments = optionalArray(o, "segments", where + ".segments");
    for (int i = 0; i < rawSegments.size(); i++) segments.add(segment(rawSegments.get(i), where + ".segments[" + i + "]"));
    return new Matcher(segments, conditions(o, where + ".conditions"));
  }
}
