package org.failover4j.carp.election;

/**
 * CARP's timers, computed as ucarp and OpenBSD compute them: the skew becomes whole microseconds
 * ({@code advskew · 1,000,000 / 256}, truncated) before it is added, so intervals compare exactly
 * as their {@code timercmp} does.
 */
public final class CarpTiming {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private CarpTiming() {}

  /**
   * {@return the skew in nanoseconds: {@code advskew / 256} s, truncated to microseconds}
   *
   * @param advskew the skew in 1/256 s
   */
  public static long skewNanos(int advskew) {
    return (advskew * 1_000_000L / 256) * 1_000L;
  }

  /**
   * {@return the advertisement interval: {@code advbase + advskew / 256} s}
   *
   * @param advbase the advertisement base in seconds
   * @param advskew the skew in 1/256 s
   */
  public static long advertIntervalNanos(int advbase, int advskew) {
    return advbase * NANOS_PER_SECOND + skewNanos(advskew);
  }

  /**
   * {@return the master-down interval: {@code 3 · advbase + advskew / 256} s}
   *
   * @param advbase the advertisement base in seconds
   * @param advskew the skew in 1/256 s
   */
  public static long masterDownNanos(int advbase, int advskew) {
    return 3L * advbase * NANOS_PER_SECOND + skewNanos(advskew);
  }

  /**
   * Compares two advertisement intervals: negative when {@code (advbaseA, advskewA)} is shorter
   * (more frequent, preferred), 0 when equal. Exact because the skew is below one second.
   *
   * @param advbaseA the first interval's base
   * @param advskewA the first interval's skew
   * @param advbaseB the second interval's base
   * @param advskewB the second interval's skew
   * @return negative, zero or positive as the first interval is shorter, equal or longer
   */
  public static int compareIntervals(int advbaseA, int advskewA, int advbaseB, int advskewB) {
    return Integer.compare(advbaseA * 256 + advskewA, advbaseB * 256 + advskewB);
  }

  /**
   * ucarp's tie-break between two source addresses of the same length: ucarp compares the raw
   * {@code in_addr_t} values, which on the little-endian CPUs it runs on (x86, ARM) orders
   * addresses by their last byte first. Negative when {@code a} wins (is "lower"). For addresses
   * that differ only in the last byte, as on one /24, this is the plain numeric order.
   *
   * @param a one source address
   * @param b the other, of the same length
   * @return negative, zero or positive as ucarp orders them
   */
  public static int compareSources(byte[] a, byte[] b) {
    if (a.length != b.length) {
      return Integer.compare(a.length, b.length);
    }
    for (int i = a.length - 1; i >= 0; i--) {
      int difference = (a[i] & 0xFF) - (b[i] & 0xFF);
      if (difference != 0) {
        return difference;
      }
    }
    return 0;
  }
}
