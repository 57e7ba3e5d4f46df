package org.failover4j.vrrp.election;

/**
 * The VRRP timer formulas, in nanoseconds.
 *
 * <pre>
 *   v3 (RFC 5798 §6.1): Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
 *   v2 (RFC 3768 §6.1): Skew_Time = (256 - Priority) / 256 seconds
 *   both:               Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time
 * </pre>
 *
 * Intervals are in centiseconds, the unit of the VRRPv3 header (a v2 interval of n seconds is
 * {@code 100 n} centiseconds).
 */
public final class ElectionTiming {

  /** Nanoseconds per centisecond. */
  public static final long NANOS_PER_CENTI = 10_000_000L;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private ElectionTiming() {}

  /**
   * Skew_Time for {@code priority} at the master's advertisement interval.
   *
   * @param version the VRRP version (v2 and v3 compute Skew_Time differently)
   * @param priority the backup's priority
   * @param masterAdverCentis the master's advertisement interval in centiseconds
   * @return Skew_Time in nanoseconds
   */
  public static long skewNanos(int version, int priority, int masterAdverCentis) {
    long weight = 256L - priority;
    if (version == 2) {
      return weight * NANOS_PER_SECOND / 256;
    }
    return weight * masterAdverCentis * NANOS_PER_CENTI / 256;
  }

  /**
   * Master_Down_Interval for {@code priority} at the master's advertisement interval.
   *
   * @param version the VRRP version (v2 and v3 compute Skew_Time differently)
   * @param priority the backup's priority
   * @param masterAdverCentis the master's advertisement interval in centiseconds
   * @return Master_Down_Interval in nanoseconds
   */
  public static long masterDownNanos(int version, int priority, int masterAdverCentis) {
    return 3L * masterAdverCentis * NANOS_PER_CENTI
        + skewNanos(version, priority, masterAdverCentis);
  }

  /**
   * {@return an interval in centiseconds as nanoseconds}
   *
   * @param centis the interval in centiseconds
   */
  public static long centisToNanos(int centis) {
    return centis * NANOS_PER_CENTI;
  }

  /**
   * The first multiple of the interval after {@code now} on the monotonic clock: where a new
   * master's second advert goes, a little early (never late) so that every master with the same
   * interval in a process advertises at the same instants. The platform then sends their adverts
   * together ({@code sendmmsg}), the backups wake once per burst, and after a failure their
   * Master_Down timers fall due together too. Sending early never shortens a backup's patience:
   * Master_Down_Interval counts from each advert received.
   *
   * @param now the current time, nanoseconds
   * @param intervalCentis the advert interval, centiseconds (at least 1)
   * @return the deadline, in (now, now + interval]
   */
  public static long nextOnGrid(long now, int intervalCentis) {
    long interval = centisToNanos(intervalCentis);
    return now - Math.floorMod(now, interval) + interval;
  }
}
