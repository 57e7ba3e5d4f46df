package org.failover4j.netlink.rtnl;

/** A link's operational state, RFC 2863 style ({@code IFLA_OPERSTATE}). */
public enum OperState {
  /** The driver does not report a state (loopback, many virtual links). */
  UNKNOWN,
  /** The link is missing (a removed component). */
  NOTPRESENT,
  /** Down. */
  DOWN,
  /** Down because a lower link is down (a macvlan whose parent is down). */
  LOWERLAYERDOWN,
  /** In test mode. */
  TESTING,
  /** Waiting for an external event (802.1X). */
  DORMANT,
  /** Up and able to pass packets. */
  UP;

  private static final OperState[] VALUES = values();

  /**
   * {@return the state for the kernel's number; numbers it may add later read as {@link #UNKNOWN}}
   *
   * @param value the kernel's IF_OPER_* number
   */
  public static OperState of(int value) {
    return value >= 0 && value < VALUES.length ? VALUES[value] : UNKNOWN;
  }
}
