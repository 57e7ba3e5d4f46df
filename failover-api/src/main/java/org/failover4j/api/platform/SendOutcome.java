package org.failover4j.api.platform;

/** What became of one send on an {@link AdvertChannel}. */
public enum SendOutcome {
  /** Handed to the network. */
  SENT,
  /** The send buffer was full; nothing was sent. */
  BUFFER_FULL,
  /** The kernel refused it, or the link is down; nothing was sent. */
  REFUSED;

  /** {@return true for {@link #SENT}} */
  public boolean isSent() {
    return this == SENT;
  }
}
