package org.failover4j.api;

/**
 * A reusable one-shot timer owned by an {@link EventLoop}. Arming replaces any pending deadline; a
 * fired timer stays idle until armed again. Use only on the loop's thread.
 */
public interface Timer {

  /**
   * Fires at the absolute loop time {@code deadlineNanos} (see {@link EventLoop#nanoTime()}).
   *
   * @param deadlineNanos the deadline on the loop's clock
   */
  void scheduleAt(long deadlineNanos);

  /**
   * Fires {@code delayNanos} after the loop's current time.
   *
   * @param delayNanos the delay in nanoseconds
   */
  void scheduleAfter(long delayNanos);

  /** Disarms the timer; does nothing when it is not armed. */
  void cancel();

  /** {@return true while armed and not yet fired} */
  boolean isScheduled();

  /** {@return the armed deadline; meaningful only while {@link #isScheduled()}} */
  long deadlineNanos();
}
