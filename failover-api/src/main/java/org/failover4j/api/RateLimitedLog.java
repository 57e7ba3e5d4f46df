package org.failover4j.api;

/**
 * Lets a repeated warning through at most once per interval and counts what it held back, so that a
 * fault that repeats every advert (a refused send, a peer with the wrong key) is reported without
 * flooding the log. Not thread-safe: use it from one thread, such as the event loop.
 */
public final class RateLimitedLog {

  private final long intervalNanos;
  private long lastPermitted;
  private boolean permittedBefore;
  private long suppressed;

  /**
   * At most one report per {@code intervalNanos}.
   *
   * @param intervalNanos the shortest time between two reports, in nanoseconds
   */
  public RateLimitedLog(long intervalNanos) {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("interval must be positive, was " + intervalNanos);
    }
    this.intervalNanos = intervalNanos;
  }

  /**
   * {@return true when a report may be logged at {@code nowNanos} (a monotonic clock); otherwise
   * counts one suppressed report}
   *
   * @param nowNanos the current time on a monotonic clock, in nanoseconds
   */
  public boolean permit(long nowNanos) {
    if (!permittedBefore || nowNanos - lastPermitted >= intervalNanos) {
      permittedBefore = true;
      lastPermitted = nowNanos;
      return true;
    }
    suppressed++;
    return false;
  }

  /** {@return the reports held back since the last permitted one, and starts counting again} */
  public long suppressedAndReset() {
    long n = suppressed;
    suppressed = 0;
    return n;
  }
}
