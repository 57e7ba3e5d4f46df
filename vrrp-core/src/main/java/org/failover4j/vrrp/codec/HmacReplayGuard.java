package org.failover4j.vrrp.codec;

/**
 * The sequence numbers of keepalived 2.4's {@code auth_hmac}, on both sides of one instance.
 *
 * <p>A sequence is 64 bits: UTC seconds, a 1/65536-second fraction and a 16-bit counter, compared
 * with RFC 1982 serial arithmetic so that the wrap of the seconds field is a non-event. The sender
 * uses max(clock, last + 1); in {@link HmacAntiReplay#TIME} mode a last sequence stranded more than
 * the window ahead of the clock (a corrected forward step) restarts from the clock.
 *
 * <p>The receiver, in time mode, first sheds a sequence whose seconds lie outside the window of its
 * own clock (before computing any HMAC), then, once the HMAC verified, requires the sequence to be
 * newer than the sender's last accepted one. That mark is kept per configured unicast peer, or for
 * multicast in 4 slots per instance, the least recently used evicted: only verified adverts reach
 * the table, so forged sources cannot churn it. In time mode a mark outside the window expires, so
 * a sender that stepped its clock back is accepted again once its adverts are fresh; monotonic mode
 * keeps its marks.
 *
 * <p>Times are wall-clock nanoseconds since the epoch, passed in. Allocates nothing after
 * construction; not thread-safe (one per instance, on its event loop).
 */
public final class HmacReplayGuard {

  /** Multicast sender slots per instance, as keepalived: more senders only meet in contention. */
  static final int MULTICAST_SENDERS = 4;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final boolean timeMode;
  private final int windowSeconds;
  private long sendSequence;

  private final boolean[] peerValid;
  private final long[] peerMark;

  private final byte[][] senderAddress = new byte[MULTICAST_SENDERS][16];
  private final int[] senderRank = new int[MULTICAST_SENDERS];
  private final boolean[] senderValid = new boolean[MULTICAST_SENDERS];
  private final long[] senderMark = new long[MULTICAST_SENDERS];
  private int rankClock;
  private int lastSkewSeconds;

  /**
   * A guard for an instance with {@code config}, advertising every {@code intervalCentiseconds},
   * with {@code unicastPeers} configured peers (0 for multicast).
   *
   * @param config the instance's {@code auth_hmac} configuration
   * @param intervalCentiseconds the advert interval, for the default window
   * @param unicastPeers the number of unicast peers, 0 for multicast
   */
  public HmacReplayGuard(HmacAuthentication config, int intervalCentiseconds, int unicastPeers) {
    this.timeMode = config.antiReplay() == HmacAntiReplay.TIME;
    this.windowSeconds = config.timeWindowSeconds(intervalCentiseconds);
    this.peerValid = new boolean[unicastPeers];
    this.peerMark = new long[unicastPeers];
  }

  /**
   * Carries the send sequence and the receive marks of {@code previous} over (a reload with new
   * keys or mode), so that neither a replay nor a reused sequence slips through the change.
   *
   * @param previous the guard this one replaces
   */
  public void continueFrom(HmacReplayGuard previous) {
    sendSequence = previous.sendSequence;
    if (previous.peerMark.length == peerMark.length) {
      System.arraycopy(previous.peerValid, 0, peerValid, 0, peerValid.length);
      System.arraycopy(previous.peerMark, 0, peerMark, 0, peerMark.length);
    }
    for (int i = 0; i < MULTICAST_SENDERS; i++) {
      System.arraycopy(previous.senderAddress[i], 0, senderAddress[i], 0, 16);
    }
    System.arraycopy(previous.senderRank, 0, senderRank, 0, MULTICAST_SENDERS);
    System.arraycopy(previous.senderValid, 0, senderValid, 0, MULTICAST_SENDERS);
    System.arraycopy(previous.senderMark, 0, senderMark, 0, MULTICAST_SENDERS);
    rankClock = previous.rankClock;
  }

  /** {@return the freshness window in seconds (meaningful in time mode)} */
  public int windowSeconds() {
    return windowSeconds;
  }

  /**
   * {@return the sequence {@code wallNanos} stands for, counter 0: seconds in the high 32 bits, the
   * 1/65536-second fraction in the next 16}
   *
   * @param wallNanos nanoseconds since the epoch
   */
  public static long clockSequence(long wallNanos) {
    long seconds = Math.floorDiv(wallNanos, NANOS_PER_SECOND);
    long nanos = Math.floorMod(wallNanos, NANOS_PER_SECOND);
    long fraction = (nanos << 16) / NANOS_PER_SECOND;
    return ((seconds & 0xFFFF_FFFFL) << 32) | (fraction << 16);
  }

  /** {@return true when {@code a} comes after {@code b} in RFC 1982 serial arithmetic} */
  static boolean after(long a, long b) {
    return a - b > 0;
  }

  /**
   * {@return the sequence for the next advert: max(clock, last + 1), or the clock again when time
   * mode finds the last one more than the window ahead}
   *
   * @param wallNanos the sender's clock, nanoseconds since the epoch
   */
  public long nextSendSequence(long wallNanos) {
    long clock = clockSequence(wallNanos);
    if (after(clock, sendSequence)) {
      sendSequence = clock;
      return sendSequence;
    }
    int ahead = (int) (sendSequence >>> 32) - (int) (clock >>> 32);
    if (timeMode && ahead > windowSeconds) {
      sendSequence = clock;
    } else {
      sendSequence++;
    }
    return sendSequence;
  }

  /**
   * {@return false in time mode when the sequence's seconds lie more than the window away from
   * {@code wallNanos}; always true in monotonic mode} Records the skew, see {@link
   * #lastSkewSeconds()}.
   *
   * @param sequence the received sequence, not yet authenticated
   * @param wallNanos the receiver's clock
   */
  public boolean fresh(long sequence, long wallNanos) {
    if (!timeMode) {
      return true;
    }
    lastSkewSeconds = skew(sequence, wallNanos);
    return Math.abs((long) lastSkewSeconds) <= windowSeconds;
  }

  /** {@return the receiver's clock minus the last checked sequence's seconds (time mode)} */
  public int lastSkewSeconds() {
    return lastSkewSeconds;
  }

  /**
   * {@return true when a sequence whose HMAC verified is newer than its sender's mark, which then
   * moves to it; false for a replay}
   *
   * @param peerIndex the index of the unicast peer it came from, or -1 for multicast
   * @param source the sender's address (read for multicast)
   * @param width 4 or 16, the address length
   * @param sequence the verified sequence
   * @param wallNanos the receiver's clock
   */
  public boolean acceptVerified(
      int peerIndex, byte[] source, int width, long sequence, long wallNanos) {
    boolean[] valid;
    long[] mark;
    int slot;
    if (peerIndex >= 0) {
      valid = peerValid;
      mark = peerMark;
      slot = peerIndex;
    } else {
      valid = senderValid;
      mark = senderMark;
      slot = senderSlot(source, width);
    }
    if (valid[slot] && timeMode) {
      // A mark outside the window only orders packets the window already rejects; expiring it
      // lets a sender back that reset its sequence after a clock step.
      if (Math.abs((long) skew(mark[slot], wallNanos)) > windowSeconds) {
        valid[slot] = false;
      }
    }
    if (valid[slot] && !after(sequence, mark[slot])) {
      return false;
    }
    valid[slot] = true;
    mark[slot] = sequence;
    return true;
  }

  /** The slot of a multicast sender: its own, else an empty one, else the least recently used. */
  private int senderSlot(byte[] source, int width) {
    int victim = -1;
    for (int i = 0; i < MULTICAST_SENDERS; i++) {
      if (senderRank[i] != 0 && sameAddress(senderAddress[i], source, width)) {
        senderRank[i] = nextRank();
        return i;
      }
      if (victim < 0 || senderRank[i] < senderRank[victim]) {
        victim = i;
      }
    }
    System.arraycopy(source, 0, senderAddress[victim], 0, width);
    senderValid[victim] = false;
    senderRank[victim] = nextRank();
    return victim;
  }

  private int nextRank() {
    if (++rankClock == 0) {
      rankClock = 1;
    }
    return rankClock;
  }

  private static boolean sameAddress(byte[] slot, byte[] source, int width) {
    int difference = 0;
    for (int i = 0; i < width; i++) {
      difference |= slot[i] ^ source[i];
    }
    return difference == 0;
  }

  private static int skew(long sequence, long wallNanos) {
    int nowSeconds = (int) Math.floorDiv(wallNanos, NANOS_PER_SECOND);
    return nowSeconds - (int) (sequence >>> 32);
  }

  @Override
  public String toString() {
    return "HmacReplayGuard["
        + (timeMode ? "time, window " + windowSeconds + " s" : "monotonic")
        + ", "
        + peerMark.length
        + " unicast peers]";
  }
}
