package org.failover4j.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A 48-bit Ethernet (MAC) address, immutable, held in a {@code long} so that writing it into a
 * frame allocates nothing.
 */
public final class MacAddress {

  /** Number of bytes in an address. */
  public static final int LENGTH = 6;

  /** {@code ff:ff:ff:ff:ff:ff}. */
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  /** {@code 00:00:00:00:00:00}. */
  public static final MacAddress ZERO = new MacAddress(0);

  private static final long MASK = 0xffff_ffff_ffffL;

  private final long value;

  private MacAddress(long value) {
    this.value = value & MASK;
  }

  /**
   * {@return the address in the low 48 bits of {@code value}}
   *
   * @param value the address in the low 48 bits
   */
  public static MacAddress of(long value) {
    return new MacAddress(value);
  }

  /**
   * {@return the address in {@code bytes}, which must be 6 long}
   *
   * @param bytes the 6 bytes
   */
  public static MacAddress of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
    }
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xff);
    }
    return new MacAddress(v);
  }

  /**
   * Parses {@code 00:00:5e:00:01:07} (colons or dashes, either case).
   *
   * @param text the text
   * @return the address
   */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]", -1);
    if (parts.length != LENGTH) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    long v = 0;
    for (String part : parts) {
      if (part.length() != 2) {
        throw new IllegalArgumentException("not a MAC address: " + text);
      }
      try {
        v = (v << 8) | HexFormat.fromHexDigits(part);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a MAC address: " + text, e);
      }
    }
    return new MacAddress(v);
  }

  /**
   * {@return the VRRP virtual router MAC for IPv4, {@code 00:00:5e:00:01:<vrid>} (RFC 5798 §7.3)}
   *
   * @param vrid the virtual router id
   */
  public static MacAddress vrrpIpv4(int vrid) {
    return new MacAddress(0x00005e000100L | checkVrid(vrid));
  }

  /**
   * {@return the VRRP virtual router MAC for IPv6, {@code 00:00:5e:00:02:<vrid>} (RFC 5798 §7.3)}
   *
   * @param vrid the virtual router id
   */
  public static MacAddress vrrpIpv6(int vrid) {
    return new MacAddress(0x00005e000200L | checkVrid(vrid));
  }

  /** {@return the address as a number in the low 48 bits} */
  public long toLong() {
    return value;
  }

  /** {@return a new array with the 6 bytes} */
  public byte[] toBytes() {
    byte[] bytes = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      bytes[i] = byteAt(i);
    }
    return bytes;
  }

  /**
   * Byte {@code i} (0..5) in wire order.
   *
   * @param i the byte's index, 0..5
   * @return the byte
   */
  public byte byteAt(int i) {
    return (byte) (value >>> (8 * (LENGTH - 1 - i)));
  }

  /**
   * Writes the 6 bytes at absolute {@code index} of {@code buffer}.
   *
   * @param buffer the buffer to write into
   * @param index the absolute offset
   */
  public void writeTo(ByteBuffer buffer, int index) {
    for (int i = 0; i < LENGTH; i++) {
      buffer.put(index + i, byteAt(i));
    }
  }

  /**
   * {@return the IPv6 link-local address an interface with this MAC derives for itself} The
   * modified EUI-64 of RFC 4291 appendix A: {@code fe80::}, the MAC with {@code ff:fe} in its
   * middle and the universal/local bit flipped.
   */
  public Inet6Address linkLocal() {
    byte[] mac = toBytes();
    byte[] address = new byte[16];
    address[0] = (byte) 0xfe;
    address[1] = (byte) 0x80;
    address[8] = (byte) (mac[0] ^ 0x02);
    address[9] = mac[1];
    address[10] = mac[2];
    address[11] = (byte) 0xff;
    address[12] = (byte) 0xfe;
    address[13] = mac[3];
    address[14] = mac[4];
    address[15] = mac[5];
    try {
      return (Inet6Address) InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }

  /** {@return true for a multicast (group) address: the lowest bit of the first byte is set} */
  public boolean isMulticast() {
    return (byteAt(0) & 1) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  /** Lower-case hex with colons, as {@code ip link} prints it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(HexFormat.of().toHexDigits(byteAt(i)));
    }
    return sb.toString();
  }

  private static int checkVrid(int vrid) {
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be in 1..255, was " + vrid);
    }
    return vrid;
  }
}
