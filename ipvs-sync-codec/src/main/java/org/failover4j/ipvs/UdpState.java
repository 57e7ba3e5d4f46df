package org.failover4j.ipvs;

/** The one IPVS UDP state ({@code IP_VS_UDP_S_NORMAL}). */
public enum UdpState implements ConnectionState {
  /** 0. */
  NORMAL;

  @Override
  public int value() {
    return ordinal();
  }
}
