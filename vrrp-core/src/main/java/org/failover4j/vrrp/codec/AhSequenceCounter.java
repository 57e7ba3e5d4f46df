package org.failover4j.vrrp.codec;

/**
 * keepalived's IPsec-AH sequence-number rules: one unsigned 32-bit counter per instance serves both
 * directions.
 *
 * <ul>
 *   <li>Before each advert it sends, the instance increments the counter and sends the new value
 *       (the first advert carries 1). Once the counter is above {@code 0xFFFFFFFD} it stops moving
 *       and the {@linkplain #cycled() cycle flag} is set; becoming master with the flag set starts
 *       again from 0.
 *   <li>A received advert is accepted only when its sequence number is strictly greater than the
 *       counter, which then takes that value: the replay check.
 *   <li>A master that hears a lower priority sets the counter to that advert's number plus one
 *       (modulo 2<sup>32</sup>) and clears the flag; a higher-priority advert clears the flag, and
 *       so does, for a backup, an accepted advert.
 * </ul>
 *
 * <p>Because a backup learns the counter only from the master's adverts, keepalived never lets an
 * AH instance start as master below priority 255. Not thread-safe: it lives on the event loop.
 */
public final class AhSequenceCounter {

  /** Above this value the counter no longer increments (keepalived's cycle threshold). */
  public static final long CYCLE_THRESHOLD = 0xFFFFFFFDL;

  private static final long MASK = 0xFFFFFFFFL;

  private long counter;
  private boolean cycled;

  /** A counter at 0, as a fresh keepalived instance starts. */
  public AhSequenceCounter() {}

  /** {@return the current value, 0..2<sup>32</sup>−1} */
  public long current() {
    return counter;
  }

  /** {@return true once the counter has run into the cycle threshold and stopped} */
  public boolean cycled() {
    return cycled;
  }

  /**
   * {@return the sequence number for the next advert sent: the counter incremented, or held at the
   * top}
   */
  public long nextForSend() {
    if (counter > CYCLE_THRESHOLD) {
      cycled = true;
    } else {
      counter++;
    }
    return counter;
  }

  /**
   * Applies the replay check to a received sequence number (as unsigned 32 bits): when it is
   * greater than the counter, the counter takes it and this returns true.
   *
   * @param sequence the received sequence number
   * @return true when accepted
   */
  public boolean acceptReceived(int sequence) {
    long received = sequence & MASK;
    if (received > counter) {
      counter = received;
      return true;
    }
    return false;
  }

  /**
   * A master heard a lower priority with {@code sequence}: continue after it, clear the flag.
   *
   * @param sequence the received sequence number
   */
  public void syncAfterLowerPriority(int sequence) {
    counter = ((sequence & MASK) + 1) & MASK;
    cycled = false;
  }

  /** Clears the cycle flag (a higher-priority advert, or an advert accepted while backup). */
  public void clearCycle() {
    cycled = false;
  }

  /** The instance becomes master: after a cycle the counter starts again from 0. */
  public void onBecomeMaster() {
    if (cycled) {
      cycled = false;
      counter = 0;
    }
  }

  @Override
  public String toString() {
    return "AhSequenceCounter[" + counter + (cycled ? ", cycled]" : "]");
  }
}
