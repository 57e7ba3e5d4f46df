package org.failover4j.api.platform;

/** What became of one send on an {@link AdvertChannel}. */
public enum SendOutcome {
  /** Handed to the network. */
  SENT,
  /** The send buffer was full; nothing was sent. */
  BUFFER_FULL,
  /** The kernel refused it, or the link is down; nothing was sent. */
  REFUSED,
  /**
   * The fixed source it must go from is not an address of the host now (IPv6 duplicate address
   * detection still holds it tentative, or it was never added): nothing was sent, and the next send
   * tries again.
   */
  SOURCE_UNAVAILABLE;

  /** {@return true for {@link #SENT}} */
  public boolean isSent() {
    return this == SENT;
  }
}
