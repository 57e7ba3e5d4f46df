package org.failover4j.carp.replay;

import java.util.Arrays;

/**
 * The replay windows of every sender of one virtual host, keyed by source address (4 or 16 bytes).
 * It holds at most {@code capacity} senders; when a new sender arrives at a full table the one
 * heard from least recently is forgotten, so size it above the number of real hosts on the segment
 * (a forgotten sender's next advert is accepted whatever its counter, as after a restart).
 *
 * <p>Only authenticated adverts may reach it: an attacker without the key cannot forge counters.
 * But the HMAC does not cover the IP source address, so an on-path attacker can replay a recorded
 * advert under a source the guard has not seen (or has forgotten), and that sender's first counter
 * is accepted whatever it is. An optional maximum age closes this gap for hosts whose clocks agree:
 * a replay-protected counter carries its sender's wall-clock milliseconds ({@link SendCounter}),
 * and {@link #isStale} rejects any counter older than the maximum age, first-seen or not.
 *
 * <p>Allocation-free after construction; not thread-safe.
 */
public final class ReplayGuard {

  private final byte[][] sources;
  private final int[] sourceLengths;
  private final ReplayWindow[] windows;
  private final long[] lastUsed;
  private final long maxAgeMillis;
  private int used;
  private long clock;

  /**
   * A guard for up to {@code capacity} senders (1..1024), without a maximum age.
   *
   * @param capacity how many senders to remember, 1..1024
   */
  public ReplayGuard(int capacity) {
    this(capacity, null);
  }

  /**
   * A guard for up to {@code capacity} senders (1..1024) that also drops counters older than {@code
   * maxAge} (null: no age check). The age needs the hosts' clocks to agree within it.
   *
   * @param capacity how many senders to remember, 1..1024
   * @param maxAge the oldest counter accepted
   */
  public ReplayGuard(int capacity, java.time.Duration maxAge) {
    if (capacity < 1 || capacity > 1024) {
      throw new IllegalArgumentException("capacity must be in 1..1024, was " + capacity);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
    this.maxAgeMillis = maxAge == null ? 0 : maxAge.toMillis();
    sources = new byte[capacity][16];
    sourceLengths = new int[capacity];
    windows = new ReplayWindow[capacity];
    lastUsed = new long[capacity];
    for (int i = 0; i < capacity; i++) {
      windows[i] = new ReplayWindow();
    }
  }

  /**
   * Checks {@code counter} from the sender whose address is the first {@code length} bytes of
   * {@code source}, and records it when fresh.
   *
   * @param source the sender's address
   * @param length how many bytes of it (4 or 16)
   * @param counter the advert's counter
   * @return true when fresh, false for a replay
   */
  public boolean accept(byte[] source, int length, long counter) {
    int slot = find(source, length);
    if (slot < 0) {
      slot = evictOrAdd();
      System.arraycopy(source, 0, sources[slot], 0, length);
      sourceLengths[slot] = length;
      windows[slot].clear();
    }
    lastUsed[slot] = ++clock;
    return windows[slot].accept(counter);
  }

  /**
   * {@return true when a maximum age is set and the wall-clock part of {@code counter} (its high
   * bits, see {@link SendCounter#SEQUENCE_BITS}) lies more than that age before {@code
   * epochMillis}}
   *
   * @param counter the advert's counter
   * @param epochMillis the wall clock in milliseconds since 1970
   */
  public boolean isStale(long counter, long epochMillis) {
    if (maxAgeMillis == 0) {
      return false;
    }
    long sentMillis = counter >>> SendCounter.SEQUENCE_BITS;
    return sentMillis < epochMillis - maxAgeMillis;
  }

  /** {@return the number of senders remembered} */
  public int senders() {
    return used;
  }

  /** Forgets every sender. */
  public void clear() {
    used = 0;
  }

  private int find(byte[] source, int length) {
    for (int i = 0; i < used; i++) {
      if (sourceLengths[i] == length && Arrays.equals(sources[i], 0, length, source, 0, length)) {
        return i;
      }
    }
    return -1;
  }

  private int evictOrAdd() {
    if (used < windows.length) {
      return used++;
    }
    int oldest = 0;
    for (int i = 1; i < used; i++) {
      if (lastUsed[i] < lastUsed[oldest]) {
        oldest = i;
      }
    }
    return oldest;
  }
}
