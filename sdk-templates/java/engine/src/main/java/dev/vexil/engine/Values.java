package dev.vexil.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict readers for typed comparisons, reading every value exactly as the TypeScript engine does
 * (core/schema/values.ts): decimal numbers, ISO 8601 dates with JavaScript's Date.parse rules for
 * that format, and JavaScript's String(number). The patterns here are fixed and linear-time.
 */
final class Values {
  static final double MAX_SAFE_INTEGER = 9007199254740991.0;
  private static final Pattern NUMERIC =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern ISO_DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
  private static final Pattern ISO_DATE_TIME =
      Pattern.compile(
          "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
              + "(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})");

  private Values() {}

  /** A JSON number as JavaScript holds it (a double), or null when value is not a number. */
  static Double number(Object value) {
    if (value instanceof Double d) return d;
    if (value instanceof Integer i) return (double) i;
    if (value instanceof Long l) return (double) l;
    if (value instanceof BigInteger b) return b.doubleValue();
    if (value instanceof BigDecimal b) return b.doubleValue();
    if (value instanceof Number n) return n.doubleValue();
    return null;
  }

  /** A finite number, or a numeric string; NaN for anything else. */
  static double toNumber(Object value) {
    if (value instanceof String s) {
      return NUMERIC.matcher(s).matches() ? Double.parseDouble(s) : Double.NaN;
    }
    Double n = number(value);
    return n != null && Double.isFinite(n) ? n : Double.NaN;
  }

  /** Strings as they are, safe integers in decimal; null for anything else. */
  static String keyString(Object value) {
    if (value instanceof String s) return s;
    Double n = number(value);
    if (n != null && Double.isFinite(n) && n == Math.floor(n) && Math.abs(n) <= MAX_SAFE_INTEGER) {
      return Long.toString(n.longValue());
    }
    return null;
  }

  /** String(value) in JavaScript for a string or a number. */
  static String jsString(Object value) {
    if (value instanceof String s) return s;
    Double boxed = number(value);
    double n = boxed == null ? Double.NaN : boxed;
    if (Double.isNaN(n)) return "NaN";
    if (Double.isInfinite(n)) return n > 0 ? "Infinity" : "-Infinity";
    if (n == 0) return "0";
    if (n < 0) return "-" + jsString(-n);
    String[] shortest = shortestDigits(n);
    String digits = shortest[0];
    int e = Integer.parseInt(shortest[1]);
    int k = digits.length();
    int point = e + 1;
    if (k <= point && point <= 21) return digits + "0".repeat(point - k);
    if (0 < point && point <= 21) return digits.substring(0, point) + "." + digits.substring(point);
    if (-6 < point && point <= 0) return "0." + "0".repeat(-point) + digits;
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + (e >= 0 ? "+" : "-") + Math.abs(e);
  }

  /** The shortest decimal digits that read back as n, correctly rounded, and the exponent of the first. */
  private static String[] shortestDigits(double n) {
    BigDecimal exact = new BigDecimal(n);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == n || precision == 17) {
        BigDecimal stripped = rounded.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        int exponent = digits.length() - 1 - stripped.scale();
        return new String[] {digits, Integer.toString(exponent)};
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static long daysFromCivil(long year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    long era = Math.floorDiv(year, 400);
    long yoe = year - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  private static int digitsOf(String s) {
    return s == null ? 0 : Integer.parseInt(s);
  }

  private static double isoMillis(String[] p) {
    int mo = digitsOf(p[1]), d = digitsOf(p[2]), h = digitsOf(p[3]), mi = digitsOf(p[4]);
    int s = digitsOf(p[5]);
    String frac = p[6] == null ? "" : p[6];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 59) return Double.NaN;
    if (h == 24 && (mi != 0 || s != 0 || !frac.replace("0", "").isEmpty())) return Double.NaN;
    long shift = 0;
    String offset = p[7];
    if (!"Z".equals(offset)) {
      int oh = Integer.parseInt(offset.substring(1, 3)), om = Integer.parseInt(offset.substring(4, 6));
      if (oh > 23 || om > 59) return Double.NaN;
      shift = (oh * 60L + om) * 60000L * (offset.charAt(0) == '+' ? 1 : -1);
    }
    int ms = Integer.parseInt((frac + "000").substring(0, 3));
    long days = daysFromCivil(Integer.parseInt(p[0]), mo, 1) + d - 1;
    return (double) (days * 86400000L + h * 3600000L + mi * 60000L + s * 1000L + ms - shift);
  }

  /** Epoch milliseconds of a date-time object, an epoch-millis number or an ISO date string; NaN otherwise. */
  static double toEpochMillis(Object value) {
    if (value instanceof String s) {
      Matcher date = ISO_DATE.matcher(s);
      if (date.matches()) {
        return isoMillis(new String[] {date.group(1), date.group(2), date.group(3), "00", "00", "00", null, "Z"});
      }
      Matcher dateTime = ISO_DATE_TIME.matcher(s);
      if (!dateTime.matches()) return Double.NaN;
      String[] parts = new String[8];
      for (int i = 0; i < 8; i++) parts[i] = dateTime.group(i + 1);
      return isoMillis(parts);
    }
    if (value instanceof Instant i) return i.toEpochMilli();
    if (value instanceof Date d) return d.getTime();
    if (value instanceof OffsetDateTime o) return o.toInstant().toEpochMilli();
    if (value instanceof ZonedDateTime z) return z.toInstant().toEpochMilli();
    Double n = number(value);
    return n != null && Double.isFinite(n) ? n : Double.NaN;
  }
}
