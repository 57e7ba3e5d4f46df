package org.failover4j.api.address;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;

/**
 * A virtual address with the prefix length it is added with, such as {@code 192.0.2.100/24}, and
 * how keepalived's {@code virtual_ipaddress} may place it: on another interface ({@code dev}), with
 * a scope and with a label (both IPv4 only, as in the kernel).
 *
 * @param address the address
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 * @param scope how far the address is meaningful; not {@link Scope#GLOBAL} for IPv4 only
 * @param label the IPv4 label, such as {@code eth0:vip} (1..15 bytes), or null
 * @param device the interface the address lives on, or null for the owner's (its virtual MAC or
 *     interface)
 */
public record VirtualAddress(
    InetAddress address, int prefixLength, Scope scope, String label, String device) {

  /** The longest interface name or label the kernel takes ({@code IFNAMSIZ - 1}). */
  public static final int MAX_NAME_BYTES = 15;

  /** An address's scope ({@code ifa_scope}), named as {@code ip addr add ... scope} names it. */
  public enum Scope {
    /** Valid everywhere: the default. */
    GLOBAL(0),
    /** Site-local. */
    SITE(200),
    /** Valid on the attached link only. */
    LINK(253),
    /** Valid inside this host only. */
    HOST(254);

    private final int value;

    Scope(int value) {
      this.value = value;
    }

    /** {@return the kernel's {@code RT_SCOPE_*} value} */
    public int value() {
      return value;
    }

    /**
     * Reads a scope as iproute2 and keepalived do: its name or its number.
     *
     * @param text {@code global}, {@code site}, {@code link}, {@code host} or 0, 200, 253, 254
     * @return the scope
     * @throws InvalidConfigurationException naming the allowed values
     */
    public static Scope parse(String text) {
      for (Scope s : values()) {
        if (s.name().equalsIgnoreCase(text) || String.valueOf(s.value).equals(text)) {
          return s;
        }
      }
      throw new InvalidConfigurationException(
          "scope", "must be global, site, link or host (0, 200, 253, 254), was " + text);
    }
  }

  /**
   * An address on the owner's interface with global scope and no label.
   *
   * @param address the address
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   */
  public VirtualAddress(InetAddress address, int prefixLength) {
    this(address, prefixLength, Scope.GLOBAL, null, null);
  }

  /**
   * Checks the prefix length against the family, and refuses what can never be a virtual address:
   * multicast, unspecified, loopback and the IPv4 limited broadcast address; a label or scope on
   * IPv6 (the kernel derives an IPv6 address's scope from the address and keeps no label), and a
   * label or device name the kernel would not take.
   *
   * @param address the address
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   * @param scope how far the address is meaningful
   * @param label the IPv4 label, or null
   * @param device the interface the address lives on, or null for the owner's
   */
  public VirtualAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(scope, "scope");
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
    boolean ipv6 = !(address instanceof Inet4Address);
    if (ipv6 && scope != Scope.GLOBAL) {
      throw new InvalidConfigurationException(
          "scope", AddressText.of(address) + ": an IPv6 address's scope follows from the address");
    }
    if (ipv6 && label != null) {
      throw new InvalidConfigurationException(
          "label", AddressText.of(address) + ": IPv6 addresses have no label");
    }
    checkName("label", label);
    checkName("device", device);
  }

  private static void checkName(String field, String name) {
    if (name == null) {
      return;
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_NAME_BYTES) {
      throw new InvalidConfigurationException(
          field, "must have 1.." + MAX_NAME_BYTES + " bytes, was " + bytes);
    }
    if (!name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/')) {
      throw new InvalidConfigurationException(
          field, "must be printable ASCII without spaces or '/', was " + name.strip());
    }
  }

  /**
   * {@return this address with {@code value} as its scope}
   *
   * @param value the scope
   */
  public VirtualAddress withScope(Scope value) {
    return new VirtualAddress(address, prefixLength, value, label, device);
  }

  /**
   * {@return this address with {@code value} as its label}
   *
   * @param value the IPv4 label, or null for none
   */
  public VirtualAddress withLabel(String value) {
    return new VirtualAddress(address, prefixLength, scope, value, device);
  }

  /**
   * {@return this address on interface {@code value}}
   *
   * @param value the interface, or null for the owner's
   */
  public VirtualAddress onDevice(String value) {
    return new VirtualAddress(address, prefixLength, scope, label, value);
  }

  /** {@return true when the address has a scope or label a platform must set} */
  public boolean hasOptions() {
    return scope != Scope.GLOBAL || label != null;
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

  /**
   * As {@code ip addr} writes it: {@code 192.0.2.100/24 [dev eth1] [scope host] [label eth0:vip]}.
   */
  @Override
  public String toString() {
    return AddressText.of(address)
        + "/"
        + prefixLength
        + (device == null ? "" : " dev " + device)
        + (scope == Scope.GLOBAL ? "" : " scope " + scope.name().toLowerCase(java.util.Locale.ROOT))
        + (label == null ? "" : " label " + label);
  }
}
