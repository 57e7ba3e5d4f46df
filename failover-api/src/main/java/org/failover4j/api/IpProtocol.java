package org.failover4j.api;

/** IP protocol numbers (IANA) the modules send, receive or decode. */
public final class IpProtocol {

  /** ICMP. */
  public static final int ICMP = 1;

  /** UDP: IPVS connection sync. */
  public static final int UDP = 17;

  /** IPsec Authentication Header: keepalived's VRRPv2 AH authentication. */
  public static final int AH = 51;

  /** ICMPv6: unsolicited neighbour advertisements. */
  public static final int ICMPV6 = 58;

  /** VRRP, and CARP, which reuses the number. */
  public static final int VRRP = 112;

  private IpProtocol() {}
}
