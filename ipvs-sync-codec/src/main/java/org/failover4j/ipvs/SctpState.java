package org.failover4j.ipvs;

/** IPVS SCTP connection states ({@code enum ip_vs_sctp_states}), numbered as on the wire. */
public enum SctpState implements ConnectionState {
  /** 0. */
  NONE,
  /** 1. */
  INIT1,
  /** 2. */
  INIT,
  /** 3. */
  COOKIE_SENT,
  /** 4. */
  COOKIE_REPLIED,
  /** 5. */
  COOKIE_WAIT,
  /** 6. */
  COOKIE,
  /** 7. */
  COOKIE_ECHOED,
  /** 8. */
  ESTABLISHED,
  /** 9. */
  SHUTDOWN_SENT,
  /** 10. */
  SHUTDOWN_RECEIVED,
  /** 11. */
  SHUTDOWN_ACK_SENT,
  /** 12. */
  REJECTED,
  /** 13. */
  CLOSED;

  private static final SctpState[] VALUES = values();

  @Override
  public int value() {
    return ordinal();
  }

  /** The state numbered {@code value}, or null when there is none. */
  static SctpState of(int value) {
    return value >= 0 && value < VALUES.length ? VALUES[value] : null;
  }
}
