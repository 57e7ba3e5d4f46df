package org.failover4j.api.address;

import java.nio.charset.StandardCharsets;
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
    String problem = nameProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (mac.length != 6) {
      throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
    }
    mac = mac.clone();
  }

  /**
   * Checks an interface name as Linux's {@code dev_valid_name} does: 1..15 bytes (UTF-8), neither
   * {@code .} nor {@code ..}, no {@code /}, {@code :} or whitespace (the kernel's {@code isspace}
   * also counts byte 0xA0). It also refuses {@code %}, which the kernel reads as a name template
   * ({@code vrrp%d} would create {@code vrrp0}), and NUL, which would cut the name short.
   *
   * @param name the interface name
   * @return why the kernel would refuse it, or null when it is valid
   */
  public static String nameProblem(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > MAX_NAME_LENGTH) {
      return "an interface name has 1.." + MAX_NAME_LENGTH + " bytes, was " + bytes.length;
    }
    if (name.equals(".") || name.equals("..")) {
      return "an interface name cannot be " + name;
    }
    for (byte b : bytes) {
      if (b == '/' || b == ':' || b == '%' || b == 0 || isKernelSpace(b)) {
        return "an interface name cannot contain "
            + (b == 0 ? "NUL" : isKernelSpace(b) ? "whitespace" : "'" + (char) b + "'")
            + ", was "
            + name.replaceAll("\\p{Cntrl}", "?");
      }
    }
    return null;
  }

  /** The kernel's {@code isspace}: ASCII space, \t, \n, \v, \f, \r, and Latin-1's 0xA0. */
  private static boolean isKernelSpace(byte b) {
    return b == ' ' || (b >= 0x09 && b <= 0x0d) || b == (byte) 0xa0;
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
