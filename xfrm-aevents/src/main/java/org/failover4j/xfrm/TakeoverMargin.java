package org.failover4j.xfrm;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How far a new master moves an SA's outbound sequence number beyond the last one it learned from
 * the old master.
 *
 * <p>The reasoning. The backup holds the sequence number of the last aevent the master's kernel
 * reported and the master forwarded. The kernel reports an SA as soon as its counter has moved by
 * the replay threshold since the last report ({@code replay_maxdiff}, per SA, default {@code
 * net.core.xfrm_aevent_rseqth} = 2), and otherwise when the event timer ({@code xfrm_aevent_etime},
 * default 1 s) expires with something changed; with a threshold of 0 only the timer reports. So
 * when the backup's last state is current, the master can have sent at most {@code per-event gap} =
 * max(replay threshold, packet rate x event period) packets that nobody reported. Each sync message
 * that is lost (UDP, a master that died between its kernel's event and its send, ENOBUFS on the
 * event socket) adds one more such gap. The default margin is therefore
 *
 * <pre>
 *   margin = (1 + lostMessages) x max(replayThreshold, ceil(maxPacketRate x eventPeriod))
 * </pre>
 *
 * with the SA's own threshold when the synced state carries one. Overshooting costs nothing but
 * sequence space (the peer's replay window simply moves forward; 10^5 of 2^32 numbers is 0.002 %);
 * undershooting makes the peer drop the new master's first packets as replays, and with AES-GCM,
 * whose IV Linux derives from the sequence number, reuses a nonce under the same key, which breaks
 * the cipher. So the defaults are generous: a packet rate of 100,000/s and 3 lost messages.
 *
 * @param replayThreshold the system-wide replay threshold in packets ({@code xfrm_aevent_rseqth})
 * @param eventPeriod the event timer period ({@code xfrm_aevent_etime})
 * @param maxPacketRate the highest packet rate per SA to allow for, per second
 * @param lostMessages how many consecutive sync messages may be lost
 */
public record TakeoverMargin(
    int replayThreshold, Duration eventPeriod, long maxPacketRate, int lostMessages) {

  /** The packet rate the defaults allow for, per SA and second. */
  public static final long DEFAULT_MAX_PACKET_RATE = 100_000;

  /** The consecutive sync messages the defaults allow to be lost. */
  public static final int DEFAULT_LOST_MESSAGES = 3;

  /**
   * Checks the ranges.
   *
   * @param replayThreshold the system-wide replay threshold in packets ({@code xfrm_aevent_rseqth})
   * @param eventPeriod the event timer period ({@code xfrm_aevent_etime})
   * @param maxPacketRate the highest packet rate per SA to allow for, per second
   * @param lostMessages how many consecutive sync messages may be lost
   */
  public TakeoverMargin {
    Objects.requireNonNull(eventPeriod, "eventPeriod");
    if (replayThreshold < 0 || eventPeriod.isNegative() || maxPacketRate < 0 || lostMessages < 0) {
      throw new IllegalArgumentException(
          "replayThreshold, eventPeriod, maxPacketRate and lostMessages must be >= 0");
    }
  }

  /**
   * {@return the defaults for a namespace with thresholds {@code sysctls}}
   *
   * @param sysctls the namespace's thresholds
   */
  public static TakeoverMargin defaults(AeventSysctls sysctls) {
    return new TakeoverMargin(
        sysctls.replaySequenceThreshold(),
        sysctls.eventPeriod(),
        DEFAULT_MAX_PACKET_RATE,
        DEFAULT_LOST_MESSAGES);
  }

  /**
   * {@return the margin in packets for an SA whose synced state has replay threshold {@code
   * saThreshold}}
   *
   * @param saThreshold the SA's replay threshold, if the synced state has one
   */
  public long packets(OptionalInt saThreshold) {
    long threshold =
        saThreshold.isPresent() ? Integer.toUnsignedLong(saThreshold.getAsInt()) : replayThreshold;
    long perTimer;
    try {
      perTimer =
          Math.addExact(Math.multiplyExact(maxPacketRate, eventPeriod.toNanos()), 999_999_999L)
              / 1_000_000_000L;
    } catch (ArithmeticException e) {
      perTimer = Long.MAX_VALUE;
    }
    long gap = Math.max(1, Math.max(threshold, perTimer));
    long lost = 1L + lostMessages;
    return gap > Long.MAX_VALUE / lost ? Long.MAX_VALUE : gap * lost;
  }
}
