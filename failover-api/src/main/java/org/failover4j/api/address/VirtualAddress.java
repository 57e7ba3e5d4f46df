package org.failover4j.api.address;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;

/**
 * A virtual address with the prefix length it is added with, such as {@code 192.0.2.100/24}.
 *
 * @param address the address
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record VirtualAddress(InetAddress address, int prefixLength) {

  /**
   * Checks the prefix length against the family, and refuses what can never be a virtual address:
   * multicast, unspecified, loopback and the IPv4 limited broadcast address.
   *
   * @param address the address
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   */
  public VirtualAddress {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new InvalidConfigurationException(
          "virtualAddress",
          AddressText.of(address)
              + "/"
              + prefixLength
              + ": the prefix length must be in 0.."
              + max
              + ", was "
              + prefixLength);
    }
    String unusable = unusableBecause(address);
    if (unusable != null) {
      throw new InvalidConfigurationException(
          "virtualAddress", AddressText.of(address) + " is " + unusable + ", not a host address");
    }
  }

  private static String unusableBecause(InetAddress address) {
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    byte[] b = address.getAddress();
    if (b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff) {
      return "the limited broadcast address";
    }
    return null;
  }

  /**
   * Parses {@code 192.0.2.100/24} or {@code 2001:db8::100/64}; without a prefix length the address
   * stands alone (/32 or /128). Only literals are accepted, never host names.
   *
   * @param cidr the text
   * @return the address
   */
  public static VirtualAddress parse(String cidr) {
    int slash = cidr.indexOf('/');
    String literal = slash < 0 ? cidr : cidr.substring(0, slash);
    // Four dotted decimals, never the legacy shorthand (192.0.2 would be 192.0.0.2), or IPv6.
    boolean dottedQuad =
        literal.matches(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    boolean ipv6 = literal.matches("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*") && !literal.contains(".");
    if (!dottedQuad && !ipv6) {
      throw new InvalidConfigurationException("virtualAddress", "not an IP literal: " + cidr);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new InvalidConfigurationException("virtualAddress", "not an IP literal: " + cidr);
    }
    int max = address instanceof Inet4Address ? 32 : 128;
    if (slash < 0) {
      return new VirtualAddress(address, max);
    }
    try {
      return new VirtualAddress(address, Integer.parseInt(cidr.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException("virtualAddress", "bad prefix length in " + cidr);
    }
  }

  /** {@return true for an IPv6 address} */
  public boolean isIpv6() {
    return !(address instanceof Inet4Address);
  }

  @Override
  public String toString() {
    return AddressText.of(address) + "/" + prefixLength;
  }
}
