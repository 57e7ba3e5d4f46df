package org.failover4j.carp.replay;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The counter a virtual host puts into its adverts.
 *
 * <p>{@link CounterMode#UCARP_COMPATIBLE}: starts at a random value, adds 1 per advert (wrapping to
 * 0 after all ones, as ucarp does) and {@link #observeReceived adopts} every authenticated counter
 * it receives.
 *
 * <p>{@link CounterMode#REPLAY_PROTECTED}: each advert carries {@code max(previous + 1, millis <<
 * 16)} where {@code millis} is the wall clock in milliseconds since the epoch. The counter
 * therefore never decreases while the process runs, whatever the clock does, and a restarted
 * process starts above everything its previous run sent as long as the clock did not step backwards
 * across the restart (a run would have to send 65,536 adverts per millisecond to outrun its own
 * clock; CARP sends at most 256 a second, and no process restarts within the millisecond of its
 * last advert). When the clock did step back by D, peers that remember the previous run drop the
 * new adverts as replays for about D, until the clock has caught up; and whenever the host sees an
 * authenticated advert with its own source address (its own advert looped back, or an attacker
 * replaying it), {@link #observeOwn} moves the counter above it.
 *
 * <p>Not thread-safe; allocation-free.
 */
public final class SendCounter {

  /** Bits below the wall-clock milliseconds in {@link CounterMode#REPLAY_PROTECTED}. */
  public static final int SEQUENCE_BITS = 16;

  private final CounterMode mode;
  private long last;
  private boolean started;

  /**
   * A counter in {@code mode}; {@code random} supplies ucarp mode's start (use a {@link
   * java.security.SecureRandom} outside tests).
   *
   * @param mode the counter mode
   * @param random the source of ucarp mode's random start
   */
  public SendCounter(CounterMode mode, RandomGenerator random) {
    this.mode = Objects.requireNonNull(mode, "mode");
    if (mode == CounterMode.UCARP_COMPATIBLE) {
      this.last = random.nextLong();
      this.started = false;
    }
  }

  /** {@return the mode} */
  public CounterMode mode() {
    return mode;
  }

  /**
   * The counter for the next advert.
   *
   * @param epochMillis the wall clock in milliseconds since 1970 (ignored in ucarp mode)
   * @return the counter
   */
  public long next(long epochMillis) {
    if (mode == CounterMode.UCARP_COMPATIBLE) {
      if (started) {
        last++;
      }
      started = true;
      return last;
    }
    long fromClock = Math.max(0, epochMillis) << SEQUENCE_BITS;
    long plusOne = last + 1;
    // Unsigned: a counter that reached all ones stays there rather than restart at 0.
    last = started && plusOne == 0 ? last : unsignedMax(started ? plusOne : 0, fromClock);
    started = true;
    return last;
  }

  /**
   * An authenticated advert for this virtual host from another sender carried {@code counter}. In
   * ucarp mode the next advert carries {@code counter + 1}; in replay-protected mode nothing
   * changes (each sender has its own sequence).
   *
   * @param counter the counter it carried
   */
  public void observeReceived(long counter) {
    if (mode == CounterMode.UCARP_COMPATIBLE) {
      last = counter;
      started = true;
    }
  }

  /**
   * An authenticated advert with this host's own source address carried {@code counter}: it was
   * sent by an earlier run of this host (or replayed by someone). The next advert will be above it.
   *
   * @param counter the counter it carried
   */
  public void observeOwn(long counter) {
    if (!started || Long.compareUnsigned(counter, last) > 0) {
      last = counter;
      started = true;
    }
  }

  /**
   * {@return the counter of the last advert, or the random start in ucarp mode before the first}
   */
  public long last() {
    return last;
  }

  private static long unsignedMax(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
