package org.failover4j.vrrp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family a VRRP instance runs over. */
public enum IpFamily {
  /** IPv4: 4-byte addresses, group 224.0.0.18. */
  IPV4(4),
  /** IPv6: 16-byte addresses, group ff02::12. */
  IPV6(16);

  private final int addressLength;

  IpFamily(int addressLength) {
    this.addressLength = addressLength;
  }

  /** 4 or 16. */
  public int addressLength() {
    return addressLength;
  }

  /** The family of {@code address}. */
  public static IpFamily of(InetAddress address) {
    return address instanceof Inet4Address ? IPV4 : IPV6;
  }
}
