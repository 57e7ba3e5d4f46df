package org.failover4j.netlink;

/** The two forms of gratuitous ARP: neighbours update their caches from either. */
public enum ArpOperation {
  /** An ARP request for the sender's own address (RFC 5227 announcement; keepalived's form). */
  REQUEST(1),
  /** An ARP reply nobody asked for, target fields equal to the sender's (RFC 5944 §4.6). */
  REPLY(2);

  private final int code;

  ArpOperation(int code) {
    this.code = code;
  }

  /** {@return the {@code ar_op} value} */
  public int code() {
    return code;
  }
}
