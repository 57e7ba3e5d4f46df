package org.failover4j.ipvs;

/** IPVS TCP connection states ({@code IP_VS_TCP_S_*}), numbered as on the wire. */
public enum TcpState implements ConnectionState {
  /** 0. */
  NONE,
  /** 1. */
  ESTABLISHED,
  /** 2. */
  SYN_SENT,
  /** 3. */
  SYN_RECV,
  /** 4. */
  FIN_WAIT,
  /** 5. */
  TIME_WAIT,
  /** 6. */
  CLOSE,
  /** 7. */
  CLOSE_WAIT,
  /** 8. */
  LAST_ACK,
  /** 9. */
  LISTEN,
  /** 10. */
  SYNACK;

  private static final TcpState[] VALUES = values();

  @Override
  public int value() {
    return ordinal();
  }

  /** The state numbered {@code value}, or null when there is none. */
  static TcpState of(int value) {
    return value >= 0 && value < VALUES.length ? VALUES[value] : null;
  }
}
