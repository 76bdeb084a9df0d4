package dev.vexil.engine;

/**
 * Vexil bucketing (core/hashing/bucket.ts and test/vectors/bucketing.json define it): MurmurHash3
 * x86 32-bit, seed 0, over the UTF-8 bytes of {@code salt + ":" + value}; bucket = hash mod 100000. A
 * user is inside a p% rollout iff bucket &lt; p * 1000; splits walk thresholds floor(cum * 100000 /
 * total), the last pinned at 100000. Strings are encoded here, a lone surrogate as U+FFFD (as
 * JavaScript's TextEncoder does; Java's getBytes would write '?').
 */
public final class Hashing {
  public static final int BUCKET_SPACE = 100_000;
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Hashing() {}

  private static int mixK(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }

  private static int mixH(int h, int k) {
    h ^= mixK(k);
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }

  private static long finish(int h, int tail, int tailLength, int length) {
    if (tailLength > 0) h ^= mixK(tail);
    h ^= length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & 0xffffffffL;
  }

  /** A salt hashed ahead of time: murmur3 state after the whole blocks of salt + ":". */
  public static final class Salt {
    private final int state;
    private final int carry;
    private final int carryLength;
    private final int length;

    public Salt(String salt) {
      Hasher hasher = new Hasher(0, 0, 0, 0);
      hasher.addString(salt + ":");
      this.state = hasher.h;
      this.carry = hasher.carry;
      this.carryLength = hasher.carryLength;
      this.length = hasher.length;
    }

    /** The bucket in [0, 100000) of value under this salt. */
    public int bucket(String value) {
      Hasher hasher = new Hasher(state, carry, carryLength, length);
      hasher.addString(value);
      return (int) (hasher.finish() % BUCKET_SPACE);
    }
  }

  /** Streaming murmur3 over the UTF-8 bytes of strings, with no intermediate byte array. */
  private static final class Hasher {
    int h;
    int carry;
    int carryLength;
    int length;

    Hasher(int h, int carry, int carryLength, int length) {
      this.h = h;
      this.carry = carry;
      this.carryLength = carryLength;
      this.length = length;
    }

    private void add(int b) {
      carry |= (b & 0xff) << (carryLength << 3);
      if (++carryLength == 4) {
        h = mixH(h, carry);
        carry = 0;
        carryLength = 0;
      }
      length++;
    }

    void addString(String text) {
      int n = text.length();
      for (int i = 0; i < n; i++) {
        int code = text.charAt(i);
        if (code < 0x80) {
          add(code);
          continue;
        }
        if (code < 0x800) {
          add(0xc0 | (code >> 6));
          add(0x80 | (code & 0x3f));
          continue;
        }
        if (Character.isSurrogate((char) code)) {
          char next = i + 1 < n ? text.charAt(i + 1) : 0;
          if (Character.isHighSurrogate((char) code) && Character.isLowSurrogate(next)) {
            int point = Character.toCodePoint((char) code, next);
            add(0xf0 | (point >> 18));
            add(0x80 | ((point >> 12) & 0x3f));
            add(0x80 | ((point >> 6) & 0x3f));
            add(0x80 | (point & 0x3f));
            i++;
            continue;
          }
          code = 0xfffd;
        }
        add(0xe0 | (code >> 12));
        add(0x80 | ((code >> 6) & 0x3f));
        add(0x80 | (code & 0x3f));
      }
    }

    long finish() {
      return Hashing.finish(h, carry, carryLength, length);
    }
  }

  /** MurmurHash3 x86 32-bit (unsigned) of the UTF-8 bytes of text, seed 0. */
  public static long murmur3(String text) {
    Hasher hasher = new Hasher(0, 0, 0, 0);
    hasher.addString(text);
    return hasher.finish();
  }

  /** murmur3(salt + ":" + value) mod 100000. */
  public static int bucket(String salt, String value) {
    return new Salt(salt).bucket(value);
  }

  public static boolean isInsideRollout(int bucket, double percentage) {
    return bucket < percentage * 1000;
  }

  /** Upper bucket bound per variant, or null when the weights cannot form a split. */
  public static int[] splitThresholds(double[] weights) {
    double total = 0;
    for (double w : weights) {
      if (!Double.isFinite(w) || w < 0) return null;
      total += w;
    }
    if (!(total > 0) || !Double.isFinite(total)) return null;
    int[] thresholds = new int[weights.length];
    double cumulative = 0;
    for (int i = 0; i < weights.length; i++) {
      cumulative += weights[i];
      thresholds[i] = (int) Math.floor((cumulative * BUCKET_SPACE) / total);
    }
    thresholds[thresholds.length - 1] = BUCKET_SPACE;
    return thresholds;
  }

  public static int pickSplit(int[] thresholds, int bucket) {
    int last = thresholds.length - 1;
    for (int i = 0; i < last; i++) if (bucket < thresholds[i]) return i;
    return last;
  }
}
