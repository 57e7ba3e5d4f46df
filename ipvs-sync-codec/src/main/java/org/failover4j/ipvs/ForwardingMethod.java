package org.failover4j.ipvs;

/**
 * How IPVS forwards a connection to its real server: the low three bits of the connection flags
 * ({@code IP_VS_CONN_F_FWD_MASK}).
 */
public enum ForwardingMethod {
  /** NAT ({@code IP_VS_CONN_F_MASQ}, 0). */
  MASQ(0),
  /** The load balancer itself serves ({@code IP_VS_CONN_F_LOCALNODE}, 1). */
  LOCALNODE(1),
  /** IP-in-IP tunnelling ({@code IP_VS_CONN_F_TUNNEL}, 2). */
  TUNNEL(2),
  /** Direct routing ({@code IP_VS_CONN_F_DROUTE}, 3). */
  DROUTE(3),
  /** Cache bypass ({@code IP_VS_CONN_F_BYPASS}, 4). */
  BYPASS(4),
  /** A value the kernel does not define (5 to 7); {@link ConnectionFlags#raw()} keeps it. */
  UNKNOWN(-1);

  private static final ForwardingMethod[] VALUES = values();

  private final int value;

  ForwardingMethod(int value) {
    this.value = value;
  }

  /** {@return the value in the flags, or -1 for {@link #UNKNOWN}} */
  public int value() {
    return value;
  }

  /**
   * {@return the method in {@code flags}' low three bits}
   *
   * @param flags the connection flags
   */
  public static ForwardingMethod of(int flags) {
    int bits = flags & ConnectionFlags.FWD_MASK;
    return bits <= BYPASS.value ? VALUES[bits] : UNKNOWN;
  }
}
