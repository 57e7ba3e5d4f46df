package org.failover4j.carp.replay;

/**
 * The replay check of one sender's counters: it accepts each counter at most once, accepts any
 * counter above all accepted ones (so lost adverts never cause drops), and accepts a counter below
 * the highest (network reordering) as long as it is above the {@link #floor()}: the largest counter
 * that fell out of the window of the {@value #SIZE} largest accepted ones.
 *
 * <p>The first accepted counter also becomes the floor: before it the receiver has no history, and
 * accepting older counters then would let an attacker replay anything recorded before the receiver
 * (re)started. (Only an advert overtaken by the very first one is lost that way.)
 *
 * <p>This is IPsec's anti-replay window (RFC 4303 §3.4.3) measured in adverts rather than in
 * counter units, because a {@link SendCounter} in replay-protected mode advances with the wall
 * clock and leaves large gaps: an advert overtaken by up to {@value #SIZE} - 1 later ones is still
 * accepted. Every accepted counter above the floor is in the window, so nothing is accepted twice.
 * Counters compare as unsigned 64-bit values. Allocation-free; not thread-safe.
 */
public final class ReplayWindow {

  /** How many of the largest accepted counters are remembered. */
  public static final int SIZE = 32;

  // Sorted ascending (unsigned); slots [0, count) are used.
  private final long[] accepted = new long[SIZE];
  private int count;
  private long floor;
  private boolean hasFloor;

  /** An empty window: the first counter is accepted whatever it is. */
  public ReplayWindow() {}

  /**
   * Checks {@code counter} and, when it is fresh, records it.
   *
   * @param counter the advert's counter
   * @return true when the advert is fresh; false for a replay or a counter too old to tell
   */
  public boolean accept(long counter) {
    if (hasFloor && Long.compareUnsigned(counter, floor) <= 0) {
      return false;
    }
    if (count == 0) {
      floor = counter;
      hasFloor = true;
    }
    int at = 0;
    while (at < count && Long.compareUnsigned(accepted[at], counter) < 0) {
      at++;
    }
    if (at < count && accepted[at] == counter) {
      return false;
    }
    if (count == SIZE) {
      // Drop the smallest: it becomes the floor, below which nothing is accepted any more.
      floor = accepted[0];
      hasFloor = true;
      if (at == 0) {
        floor = counter;
        return true;
      }
      System.arraycopy(accepted, 1, accepted, 0, at - 1);
      accepted[at - 1] = counter;
      return true;
    }
    System.arraycopy(accepted, at, accepted, at + 1, count - at);
    accepted[at] = counter;
    count++;
    return true;
  }

  /** {@return the highest accepted counter; meaningful once something was accepted} */
  public long highest() {
    return accepted[count - 1];
  }

  /** {@return true once a counter has been accepted} */
  public boolean isEmpty() {
    return count == 0;
  }

  /**
   * Counters at or below this are dropped; meaningful once something was accepted.
   *
   * @return the floor
   */
  public long floor() {
    return floor;
  }

  /** Forgets everything, as for a sender never seen. */
  public void clear() {
    count = 0;
    hasFloor = false;
    floor = 0;
  }
}
