package dev.vexil.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic versions read as node-semver reads them in strict mode (the TypeScript engine's library):
 * an optional leading "v", no leading zeros, at most 256 characters, surrounding whitespace ignored;
 * build metadata does not take part in comparisons.
 */
final class SemVer {
  private static final int MAX_LENGTH = 256;
  private static final String NUMERIC_ID = "0|[1-9][0-9]*";
  private static final String PRERELEASE_ID = "(?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|" + NUMERIC_ID + ")";
  private static final Pattern FULL =
      Pattern.compile(
          "v?(" + NUMERIC_ID + ")\\.(" + NUMERIC_ID + ")\\.(" + NUMERIC_ID + ")"
              + "(?:-(" + PRERELEASE_ID + "(?:\\." + PRERELEASE_ID + ")*))?"
              + "(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?");
  private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
  /** What String.prototype.trim removes: ECMAScript WhiteSpace and LineTerminator. */
  private static final String JS_WHITESPACE =
      "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          + "\u2028\u2029\u202f\u205f\u3000\ufeff";
  private static final int CACHE_LIMIT = 1024;
  private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();
  private static final Object INVALID = new Object();

  private final double[] main;
  private final List<String> prerelease;

  private SemVer(double[] main, List<String> prerelease) {
    this.main = main;
    this.prerelease = prerelease;
  }

  private static String jsTrim(String value) {
    int start = 0, end = value.length();
    while (start < end && JS_WHITESPACE.indexOf(value.charAt(start)) >= 0) start++;
    while (end > start && JS_WHITESPACE.indexOf(value.charAt(end - 1)) >= 0) end--;
    return value.substring(start, end);
  }

  private static SemVer parse(String value) {
    if (value.length() > MAX_LENGTH) return null;
    Matcher m = FULL.matcher(jsTrim(value));
    if (!m.matches()) return null;
    double[] main = new double[3];
    for (int i = 0; i < 3; i++) {
      main[i] = Double.parseDouble(m.group(i + 1));
      if (main[i] > Values.MAX_SAFE_INTEGER) return null;
    }
    String pre = m.group(4);
    return new SemVer(main, pre == null ? List.of() : List.of(pre.split("\\.")));
  }

  /** A semantic version, or null when value is not a string or not a version. */
  static SemVer of(Object value) {
    if (!(value instanceof String s)) return null;
    Object cached = CACHE.get(s);
    if (cached == null) {
      SemVer parsed = parse(s);
      if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
      cached = parsed == null ? INVALID : parsed;
      CACHE.put(s, cached);
    }
    return cached == INVALID ? null : (SemVer) cached;
  }

  private static int compareIdentifiers(String a, String b) {
    boolean aNum = ALL_DIGITS.matcher(a).matches(), bNum = ALL_DIGITS.matcher(b).matches();
    if (aNum && bNum) return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
    if (a.equals(b)) return 0;
    if (aNum) return -1;
    if (bNum) return 1;
    return a.compareTo(b) < 0 ? -1 : 1;
  }

  int compare(SemVer other) {
    for (int i = 0; i < 3; i++) {
      if (main[i] != other.main[i]) return main[i] < other.main[i] ? -1 : 1;
    }
    List<String> a = prerelease, b = other.prerelease;
    if (!a.isEmpty() && b.isEmpty()) return -1;
    if (a.isEmpty() && !b.isEmpty()) return 1;
    for (int i = 0; ; i++) {
      if (i >= a.size() && i >= b.size()) return 0;
      if (i >= b.size()) return 1;
      if (i >= a.size()) return -1;
      if (!a.get(i).equals(b.get(i))) return compareIdentifiers(a.get(i), b.get(i));
    }
  }
}
