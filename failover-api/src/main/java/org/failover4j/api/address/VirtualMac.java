package org.failover4j.api.address;

import java.util.Objects;

/**
 * A private macvlan that holds the virtual addresses under a MAC of their own, as keepalived's
 * {@code use_vmac} and CARP's virtual MAC do.
 *
 * @param name the macvlan's interface name (at most 15 characters)
 * @param mac its hardware address (6 bytes)
 */
public record VirtualMac(String name, byte[] mac) {

  /** The longest interface name Linux accepts (IFNAMSIZ less the terminating zero). */
  public static final int MAX_NAME_LENGTH = 15;

  /**
   * Checks the name and keeps a private copy of the MAC.
   *
   * @param name the macvlan's interface name
   * @param mac its hardware address (copied)
   */
  public VirtualMac {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "an interface name has 1.." + MAX_NAME_LENGTH + " characters: " + name);
    }
    if (mac.length != 6) {
      throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
    }
    mac = mac.clone();
  }

  /**
   * {@return the IANA virtual-router MAC of RFC 5798 and CARP: {@code 00:00:5e:00:01:ID} for IPv4,
   * {@code 00:00:5e:00:02:ID} for IPv6}
   *
   * @param ipv6 true for the IPv6 range
   * @param id the VRID or VHID, 1..255
   */
  public static byte[] ianaMac(boolean ipv6, int id) {
    return new byte[] {0x00, 0x00, 0x5e, 0x00, (byte) (ipv6 ? 2 : 1), (byte) id};
  }

  /** {@return a copy of the hardware address} */
  @Override
  public byte[] mac() {
    return mac.clone();
  }
}
