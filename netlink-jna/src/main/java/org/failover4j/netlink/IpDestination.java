package org.failover4j.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.failover4j.api.AddressText;

/**
 * A destination for {@link RawIpSocket#send}, resolved once into the native socket address so that
 * each send allocates nothing. Immutable and shareable between sockets of its family.
 */
public final class IpDestination {

  private final InetAddress address;
  private final int scopeIfindex;
  private final boolean ipv6;

  /** Held so that the native memory behind {@link #sockaddrAddress} lives as long as this. */
  @SuppressWarnings("unused")
  private final ByteBuffer sockaddr;

  final long sockaddrAddress;
  final int sockaddrLength;

  private IpDestination(InetAddress address, int scopeIfindex) {
    this.address = address;
    this.scopeIfindex = scopeIfindex;
    this.ipv6 = address instanceof Inet6Address;
    this.sockaddrLength = ipv6 ? LibC.SOCKADDR_IN6_SIZE : LibC.SOCKADDR_IN_SIZE;
    this.sockaddr = SocketAddresses.ip(address, scopeIfindex);
    this.sockaddrAddress = LibC.address(sockaddr);
  }

  /**
   * {@code address}; an IPv6 link-local or multicast address takes its scope from the {@link
   * Inet6Address}'s scope id, when it has one.
   *
   * @param address the address
   * @return the destination
   */
  public static IpDestination of(InetAddress address) {
    int scope = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    return new IpDestination(address, scope);
  }

  /**
   * {@code address} out of interface {@code ifindex}: the scope of an IPv6 link-local or multicast
   * destination such as {@code ff02::12} (ignored for IPv4).
   *
   * @param address the address
   * @param ifindex the interface to send out of
   * @return the destination
   */
  public static IpDestination of(InetAddress address, int ifindex) {
    if (ifindex < 0) {
      throw new IllegalArgumentException("ifindex must be >= 0, was " + ifindex);
    }
    return new IpDestination(address, address instanceof Inet4Address ? 0 : ifindex);
  }

  /** {@return the destination address} */
  public InetAddress address() {
    return address;
  }

  /** {@return the IPv6 scope (interface index), or 0} */
  public int scopeIfindex() {
    return scopeIfindex;
  }

  /** {@return true for an IPv6 destination} */
  public boolean isIpv6() {
    return ipv6;
  }

  @Override
  public String toString() {
    return AddressText.of(address) + (scopeIfindex == 0 ? "" : "%" + scopeIfindex);
  }
}
