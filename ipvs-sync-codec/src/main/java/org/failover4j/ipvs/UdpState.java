package org.failover4j.ipvs;

/** The one IPVS UDP state ({@code IP_VS_UDP_S_NORMAL}). */
public enum UdpState implements ConnectionState {
  /** 0. */
  NORMAL;

  private static final UdpState[] VALUES = values();

  @Override
  public int value() {
    return ordinal();
  }

  /** The state numbered {@code value}, or null when there is none. */
  static UdpState of(int value) {
    return value >= 0 && value < VALUES.length ? VALUES[value] : null;
  }
}
