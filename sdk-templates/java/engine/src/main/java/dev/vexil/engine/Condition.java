package dev.vexil.engine;

import static dev.vexil.engine.Shape.expectArray;
import static dev.vexil.engine.Shape.expectObject;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A prepared condition (the operator table in core/evaluate/operators.ts): values parsed, regexes
 * compiled (RE2 semantics via re2j) and sets built once per snapshot. A missing or null attribute
 * makes every operator false (notX included); negate inverts the final answer. Array attributes
 * match when ANY element matches (contains: has the element).
 */
final class Condition {
  private enum Op {
    EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH, REGEX, NUMERIC, SEMVER, DATE, EXISTS
  }

  private final String attribute;
  private final Op op;
  private final boolean invert;
  private final boolean negate;
  private final boolean caseInsensitive;
  private final boolean containsOperator;
  /** numeric and date comparisons: the sign the comparison must have; strict or not */
  private final IntPredicate order;
  private final List<String> strings = new ArrayList<>();
  private final Set<String> stringSet = new HashSet<>();
  private final List<Double> numbers = new ArrayList<>();
  private final Set<Double> numberSet = new HashSet<>();
  private final Set<Double> writtenNumbers = new HashSet<>();
  private final List<SemVer> semvers = new ArrayList<>();
  private final List<Double> dates = new ArrayList<>();
  private final List<Pattern> regexes = new ArrayList<>();

  private Condition(String attribute, String operator, boolean negate, boolean caseInsensitive) {
    this.attribute = attribute;
    this.negate = negate;
    this.caseInsensitive = caseInsensitive;
    this.invert = operator.equals("notEquals") || operator.equals("notIn") || operator.equals("notContains");
    this.containsOperator = operator.equals("contains") || operator.equals("notContains");
    this.op = opOf(operator);
    this.order = orderOf(operator);
  }

  private static Op opOf(String operator) {
    return switch (operator) {
      case "equals", "in", "notEquals", "notIn" -> Op.EQUALS;
      case "contains", "notContains" -> Op.CONTAINS;
      case "startsWith" -> Op.STARTS_WITH;
      case "endsWith" -> Op.ENDS_WITH;
      case "regex" -> Op.REGEX;
      case "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual" -> Op.NUMERIC;
      case "semverEquals", "semverGreaterThan", "semverLessThan" -> Op.SEMVER;
      case "before", "after" -> Op.DATE;
      case "exists" -> Op.EXISTS;
      default -> throw new Shape.Malformed("unknown operator \"" + operator + "\"");
    };
  }

  private static IntPredicate orderOf(String operator) {
    return switch (operator) {
      case "greaterThan", "semverGreaterThan", "after" -> c -> c > 0;
      case "greaterThanOrEqual" -> c -> c >= 0;
      case "lessThan", "semverLessThan", "before" -> c -> c < 0;
      case "lessThanOrEqual" -> c -> c <= 0;
      default -> c -> c == 0;
    };
  }

  static Condition prepare(Object raw, String where) {
    Map<String, Object> o = expectObject(raw, where);
    if (!(o.get("attribute") instanceof String attribute)) {
      throw new Shape.Malformed(where + ".attribute must be a string");
    }
    String operator = o.get("operator") instanceof String s ? s : String.valueOf(o.get("operator"));
    Condition c =
        new Condition(attribute, operator, Boolean.TRUE.equals(o.get("negate")), Boolean.TRUE.equals(o.get("caseInsensitive")));
    if (o.containsKey("values")) {
      for (Object value : expectArray(o.get("values"), where + ".values")) {
        if (!(value instanceof String) && Values.number(value) == null) {
          throw new Shape.Malformed(where + ".values must hold strings and numbers");
        }
        c.add(value);
      }
    }
    return c;
  }

  private String text(String value) {
    return caseInsensitive ? value.toLowerCase(Locale.ROOT) : value;
  }

  private void add(Object value) {
    String s = text(Values.jsString(value));
    strings.add(s);
    stringSet.add(s);
    double n = Values.toNumber(value);
    if (!Double.isNaN(n)) {
      numbers.add(n);
      numberSet.add(n == 0 ? 0.0 : n);
    }
    Double written = Values.number(value);
    if (written != null) writtenNumbers.add(written == 0 ? 0.0 : written);
    switch (op) {
      case SEMVER -> {
        SemVer version = SemVer.of(Values.jsString(value));
        if (version != null) semvers.add(version);
      }
      case DATE -> {
        double t = Values.toEpochMillis(value);
        if (!Double.isNaN(t)) dates.add(t);
      }
      case REGEX -> {
        try {
          regexes.add(Pattern.compile(Values.jsString(value), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
          // a pattern RE2 cannot compile never matches (compile rejects it before a snapshot is written)
        }
      }
      default -> {}
    }
  }

  /** Whether the condition holds for a context. */
  boolean test(Map<String, Object> context) {
    Object value = context.get(attribute);
    if (value == null) return negate;
    if (op == Op.EXISTS) return !negate;
    boolean matched = false;
    if (value instanceof List<?> elements) {
      for (Object e : elements) {
        if (e != null && (containsOperator ? equalsAny(e) : holds(e))) {
          matched = true;
          break;
        }
      }
    } else if (value instanceof Object[] elements) {
      for (Object e : elements) {
        if (e != null && (containsOperator ? equalsAny(e) : holds(e))) {
          matched = true;
          break;
        }
      }
    } else {
      matched = holds(value);
    }
    return (matched != invert) != negate;
  }

  private boolean holds(Object value) {
    return switch (op) {
      case EQUALS -> equalsAny(value);
      case CONTAINS -> value instanceof String s && anyString(text(s), 0);
      case STARTS_WITH -> value instanceof String s && anyString(text(s), 1);
      case ENDS_WITH -> value instanceof String s && anyString(text(s), 2);
      case REGEX -> value instanceof String s && anyRegex(s);
      case NUMERIC -> anyNumber(Values.toNumber(value), numbers);
      case SEMVER -> anySemver(SemVer.of(value));
      case DATE -> anyNumber(Values.toEpochMillis(value), dates);
      case EXISTS -> false;
    };
  }

  private boolean equalsAny(Object value) {
    if (value instanceof String s) {
      if (stringSet.contains(text(s))) return true;
      if (writtenNumbers.isEmpty()) return false;
      double n = Values.toNumber(s);
      return writtenNumbers.contains(n == 0 ? 0.0 : n);
    }
    if (value instanceof Boolean b) return stringSet.contains(b ? "true" : "false");
    Double n = Values.number(value);
    return n != null && numberSet.contains(n == 0 ? 0.0 : n);
  }

  private boolean anyString(String subject, int how) {
    for (String s : strings) {
      boolean found =
          switch (how) {
            case 0 -> subject.contains(s);
            case 1 -> subject.startsWith(s);
            default -> subject.endsWith(s);
          };
      if (found) return true;
    }
    return false;
  }

  private boolean anyRegex(String value) {
    for (Pattern p : regexes) if (p.matcher(value).find()) return true;
    return false;
  }

  private boolean anyNumber(double n, List<Double> against) {
    if (Double.isNaN(n)) return false;
    for (double v : against) if (order.test(n == v ? 0 : n < v ? -1 : 1)) return true;
    return false;
  }

  private boolean anySemver(SemVer version) {
    if (version == null) return false;
    for (SemVer v : semvers) if (order.test(version.compare(v))) return true;
    return false;
  }
}
