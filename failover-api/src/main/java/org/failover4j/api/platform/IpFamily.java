package org.failover4j.api.platform;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address family an election instance runs over. */
public enum IpFamily {
  /** IPv4: 4-byte addresses, group 224.0.0.18. */
  IPV4(4, new byte[] {(byte) 224, 0, 0, 18}),
  /** IPv6: 16-byte addresses, group ff02::12. */
  IPV6(16, new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

  private final int addressLength;
  private final InetAddress advertGroup;

  IpFamily(int addressLength, byte[] group) {
    this.addressLength = addressLength;
    try {
      this.advertGroup = InetAddress.getByAddress(group);
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * {@return the multicast group VRRP and CARP advertise to in this family: 224.0.0.18 or ff02::12
   * (both protocols use the same one, which is why they share a socket)}
   */
  public InetAddress advertGroup() {
    return advertGroup;
  }

  /** {@return 4 or 16} */
  public int addressLength() {
    return addressLength;
  }

  /**
   * {@return the family of {@code address}}
   *
   * @param address an IPv4 or IPv6 address
   */
  public static IpFamily of(InetAddress address) {
    return address instanceof Inet4Address ? IPV4 : IPV6;
  }
}
