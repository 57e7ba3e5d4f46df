package org.failover4j.api;

/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers"): the value of the IPv4 protocol
 * field and of the IPv6 next-header field. Plain {@code int} constants, so that decoders compare
 * and encoders write them on their hot paths without boxing or a lookup, and so that they can label
 * {@code switch} cases.
 */
public final class IpProtocol {

  /** TCP (RFC 9293). */
  public static final int TCP = 6;

  /** UDP (RFC 768), which carries IPVS connection sync. */
  public static final int UDP = 17;

  /** IPsec Encapsulating Security Payload (RFC 4303). */
  public static final int ESP = 50;

  /** IPsec Authentication Header (RFC 4302), which VRRPv2 adverts may carry. */
  public static final int AH = 51;

  /** ICMPv6 (RFC 4443), which carries neighbour advertisements. */
  public static final int ICMPV6 = 58;

  /** VRRP (RFC 9568), and CARP, which reuses the same number. */
  public static final int VRRP = 112;

  /** SCTP (RFC 9260). */
  public static final int SCTP = 132;

  private IpProtocol() {}
}
