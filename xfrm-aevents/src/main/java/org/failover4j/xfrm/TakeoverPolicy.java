package org.failover4j.xfrm;

/** How a new master moves an SA's outbound sequence number when it takes the SA over. */
public enum TakeoverPolicy {
  /**
   * The last synced outbound sequence number plus the {@link TakeoverMargin}: the SA keeps working
   * and never reuses a number the old master may have sent.
   */
  SKIP_AHEAD,
  /**
   * Close to the end of the sequence space (2^32 without ESN, 2^64 with), leaving only the margin's
   * headroom: the SA carries that many more packets, then Linux refuses to send on it ({@code
   * EOVERFLOW}, counted as {@code XfrmOutStateSeqError}) without sending any expiry, so the IKE
   * daemon must rekey it on the takeover, within the headroom; the safest choice when the synced
   * state may be stale, at the cost of a rekey per SA.
   */
  NEAR_LIMIT
}
