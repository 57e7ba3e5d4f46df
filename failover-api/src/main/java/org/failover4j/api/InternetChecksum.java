package org.failover4j.api;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) that VRRP, CARP and the IP pseudo-headers use: the ones'
 * complement of the ones'-complement sum of 16-bit big-endian words.
 *
 * <p>Sums are built up in an {@code int} accumulator: start from 0, add ranges and pseudo-header
 * fields with the {@code add} methods, then {@link #finish} folds the carries and complements. A
 * range of odd length is padded with a zero byte. Nothing here allocates.
 */
public final class InternetChecksum {

  private InternetChecksum() {}

  /**
   * Adds {@code length} bytes of {@code buffer} from absolute {@code offset}.
   *
   * @param sum the running sum, 0 to start
   * @param buffer the bytes
   * @param offset where the bytes start
   * @param length how many bytes, or the upper-layer length for a pseudo-header
   * @return the new running sum
   */
  public static int add(int sum, ByteBuffer buffer, int offset, int length) {
    long acc = sum & 0xFFFFFFFFL;
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      acc += ((buffer.get(i) & 0xFF) << 8) | (buffer.get(i + 1) & 0xFF);
    }
    if (i < end) {
      acc += (buffer.get(i) & 0xFF) << 8;
    }
    return fold32(acc);
  }

  /**
   * Adds {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @param sum the running sum, 0 to start
   * @param bytes the bytes
   * @param offset where the bytes start
   * @param length how many bytes, or the upper-layer length for a pseudo-header
   * @return the new running sum
   */
  public static int add(int sum, byte[] bytes, int offset, int length) {
    long acc = sum & 0xFFFFFFFFL;
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      acc += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
    }
    if (i < end) {
      acc += (bytes[i] & 0xFF) << 8;
    }
    return fold32(acc);
  }

  /**
   * Adds a 16-bit value.
   *
   * @param sum the running sum, 0 to start
   * @param value the value
   * @return the new running sum
   */
  public static int add16(int sum, int value) {
    return fold32((sum & 0xFFFFFFFFL) + (value & 0xFFFF));
  }

  /**
   * Adds a 32-bit value as two 16-bit words (an IPv4 address, a length).
   *
   * @param sum the running sum, 0 to start
   * @param value the value
   * @return the new running sum
   */
  public static int add32(int sum, int value) {
    return add16(add16(sum, value >>> 16), value);
  }

  /**
   * Adds the IPv4 pseudo-header: source, destination, zero, protocol and upper-layer length.
   * Addresses are in network byte order as {@code int}s.
   *
   * @param sum the running sum, 0 to start
   * @param source the source address
   * @param destination the destination address
   * @param protocol the upper-layer protocol number
   * @param length how many bytes, or the upper-layer length for a pseudo-header
   * @return the new running sum
   */
  public static int addIpv4PseudoHeader(
      int sum, int source, int destination, int protocol, int length) {
    sum = add32(sum, source);
    sum = add32(sum, destination);
    sum = add16(sum, protocol & 0xFF);
    return add16(sum, length);
  }

  /**
   * Adds the IPv6 pseudo-header (RFC 8200 §8.1): 16-byte source and destination read from {@code
   * addresses} at the given offsets, the 32-bit upper-layer length and the next-header value.
   *
   * @param sum the running sum, 0 to start
   * @param length how many bytes, or the upper-layer length for a pseudo-header
   * @param addresses the buffer that holds both addresses
   * @param sourceOffset the absolute offset of the 16-byte source address
   * @param destinationOffset the absolute offset of the 16-byte destination address
   * @param nextHeader the upper-layer protocol number
   * @return the new running sum
   */
  public static int addIpv6PseudoHeader(
      int sum,
      ByteBuffer addresses,
      int sourceOffset,
      int destinationOffset,
      int nextHeader,
      int length) {
    sum = add(sum, addresses, sourceOffset, 16);
    sum = add(sum, addresses, destinationOffset, 16);
    sum = add32(sum, length);
    return add32(sum, nextHeader & 0xFF);
  }

  /**
   * As the {@link ByteBuffer} form, with the addresses as two 16-byte arrays.
   *
   * @param sum the running sum, 0 to start
   * @param source the source address
   * @param destination the destination address
   * @param nextHeader the upper-layer protocol number
   * @param length how many bytes, or the upper-layer length for a pseudo-header
   * @return the new running sum
   */
  public static int addIpv6PseudoHeader(
      int sum, byte[] source, byte[] destination, int nextHeader, int length) {
    sum = add(sum, source, 0, 16);
    sum = add(sum, destination, 0, 16);
    sum = add32(sum, length);
    return add32(sum, nextHeader & 0xFF);
  }

  /**
   * Folds the carries and complements: the value to put on the wire.
   *
   * @param sum the running sum, 0 to start
   * @return the 16-bit checksum
   */
  public static int finish(int sum) {
    return ~fold16(sum) & 0xFFFF;
  }

  /**
   * {@return true when a range that includes its own checksum field sums to all ones}
   *
   * @param sumIncludingChecksum the unfolded sum of the range, its checksum field included
   */
  public static boolean isValid(int sumIncludingChecksum) {
    return fold16(sumIncludingChecksum) == 0xFFFF;
  }

  private static int fold32(long acc) {
    while ((acc >>> 32) != 0) {
      acc = (acc & 0xFFFFFFFFL) + (acc >>> 32);
    }
    return (int) acc;
  }

  private static int fold16(int sum) {
    long acc = sum & 0xFFFFFFFFL;
    while ((acc >>> 16) != 0) {
      acc = (acc & 0xFFFF) + (acc >>> 16);
    }
    return (int) acc;
  }
}
