package org.failover4j.api.platform;

import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * What the runtime needs to know about an interface.
 *
 * @param name the interface name
 * @param index the interface index
 * @param mac its hardware address (6 bytes)
 * @param up true when administratively up with a carrier
 * @param ipv4 its primary IPv4 address (the advert source and tie-breaker), or null
 * @param ipv6LinkLocal its IPv6 link-local address (the IPv6 multicast advert source), or null
 * @param ipv6Global its oldest IPv6 global address, the host's own rather than a virtual address
 *     added since (the default source of IPv6 unicast adverts), or null
 */
public record InterfaceState(
    String name,
    int index,
    byte[] mac,
    boolean up,
    Inet4Address ipv4,
    Inet6Address ipv6LinkLocal,
    Inet6Address ipv6Global) {

  /**
   * Keeps a private copy of the MAC.
   *
   * @param name the interface name
   * @param index the kernel's interface index
   * @param mac the hardware address (copied)
   * @param up true when the link is up with a carrier
   * @param ipv4 its primary IPv4 address, or null
   * @param ipv6LinkLocal its IPv6 link-local address, or null
   * @param ipv6Global its oldest IPv6 global address, or null
   */
  public InterfaceState {
    mac = mac.clone();
  }

  /** {@return a copy of the hardware address} */
  @Override
  public byte[] mac() {
    return mac.clone();
  }
}
