package org.failover4j.netlink.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;
import org.failover4j.api.AddressText;

/**
 * An address configured on an interface, as rtnetlink reports it.
 *
 * @param ifindex the interface's index
 * @param address the local address
 * @param prefixLength the prefix length
 * @param flags the address's flags
 * @param scope the kernel's scope number ({@link AddressScope#value()}: 0 global, 253 link, ...)
 * @param label the IPv4 label ({@code eth0:vip}), or null (IPv6 has none)
 */
public record AddressInfo(
    int ifindex,
    InetAddress address,
    int prefixLength,
    Set<AddressFlag> flags,
    int scope,
    String label) {

  /**
   * Copies the flags.
   *
   * @param ifindex the interface's index
   * @param address the local address
   * @param prefixLength the prefix length
   * @param flags the address's flags
   * @param scope the kernel's scope number ({@link AddressScope#value()}: 0 global, 253 link, ...)
   * @param label the IPv4 label ({@code eth0:vip}), or null (IPv6 has none)
   */
  public AddressInfo {
    Objects.requireNonNull(address, "address");
    flags = Set.copyOf(flags);
  }

  /**
   * {@code 192.0.2.100/24}, as {@code ip addr} prints it.
   *
   * @return the address and prefix length
   */
  public String cidr() {
    return AddressText.of(address) + "/" + prefixLength;
  }
}
