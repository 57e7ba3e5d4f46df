package org.failover4j.api.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.failover4j.api.AddressText;
import org.failover4j.api.Ipv4Header;

/**
 * One received datagram, described once by the platform that read it and then handed down
 * unchanged: where its bytes are, where its IP payload starts, its protocol, source, destination,
 * interface and TTL / hop limit. Reused from datagram to datagram (copy what you keep); reading it
 * allocates nothing except {@link #source()} and {@link #destination()}.
 *
 * <p>IPv4: raw sockets deliver the IP header, so the bytes start with it and {@link #fillIpv4}
 * parses it once (length, protocol, TTL, addresses). IPv6: the bytes are the payload and the
 * addresses and hop limit come from ancillary data ({@link #fillIpv6}).
 *
 * <p>The {@code fill*} and {@code set*} methods are for platforms; consumers only read.
 */
public final class ReceivedDatagram {

  /** The TTL / hop limit when the platform cannot tell it. */
  public static final int HOP_LIMIT_UNKNOWN = -1;

  private final byte[] source = new byte[16];
  private final byte[] destination = new byte[16];
  private ByteBuffer buffer;
  private int start;
  private int stored;
  private int length;
  private boolean ipv6;
  private boolean truncated;
  private boolean headerValid;
  private int protocol;
  private int ifindex;
  private int hopLimit;
  private int payloadOffset;
  private boolean hasDestination;

  /** An empty holder. */
  public ReceivedDatagram() {
    reset(false);
  }

  /**
   * Clears everything before a receive on a socket of the given family; the platform then sets the
   * ancillary data and calls one of the {@code fill} methods.
   *
   * @param ipv6Socket true for a datagram from an IPv6 socket
   */
  public void reset(boolean ipv6Socket) {
    this.ipv6 = ipv6Socket;
    buffer = null;
    start = 0;
    stored = 0;
    length = 0;
    truncated = false;
    headerValid = false;
    protocol = 0;
    ifindex = 0;
    hopLimit = HOP_LIMIT_UNKNOWN;
    payloadOffset = 0;
    hasDestination = false;
    Arrays.fill(source, (byte) 0);
    Arrays.fill(destination, (byte) 0);
  }

  /**
   * Describes a whole IPv4 datagram of which {@code storedBytes} are at absolute {@code at} of
   * {@code data} ({@code fullLength} arrived): parses the header once. A header that is missing or
   * invalid leaves {@link #hasValidIpHeader()} false. The header's destination is used unless the
   * platform already set one from packet info, and its source unless one was set.
   *
   * @param data the receive buffer
   * @param at the absolute offset of the first stored byte
   * @param storedBytes how many bytes were stored
   * @param fullLength how many bytes arrived (more than stored when truncated)
   * @return this holder
   */
  public ReceivedDatagram fillIpv4(ByteBuffer data, int at, int storedBytes, int fullLength) {
    ipv6 = false;
    content(data, at, storedBytes, fullLength);
    int headerLength = Ipv4Header.headerLength(data, at, storedBytes);
    headerValid = headerLength > 0;
    if (headerValid) {
      payloadOffset = at + headerLength;
      protocol = data.get(at + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
      hopLimit = data.get(at + Ipv4Header.TTL_OFFSET) & 0xFF;
      if (!hasDestination) {
        data.get(at + Ipv4Header.DESTINATION_OFFSET, destination, 0, 4);
        hasDestination = true;
      }
      if (isZero(source, 4)) {
        data.get(at + Ipv4Header.SOURCE_OFFSET, source, 0, 4);
      }
    }
    return this;
  }

  /**
   * Describes an IPv6 payload of protocol {@code ipProtocol} ({@code storedBytes} at absolute
   * {@code at} of {@code data}, {@code fullLength} arrived); addresses and hop limit come from the
   * setters.
   *
   * @param data the receive buffer
   * @param at the absolute offset of the first stored byte
   * @param storedBytes how many bytes were stored
   * @param fullLength how many bytes arrived (more than stored when truncated)
   * @param ipProtocol the IP protocol of the payload
   * @return this holder
   */
  public ReceivedDatagram fillIpv6(
      ByteBuffer data, int at, int storedBytes, int fullLength, int ipProtocol) {
    ipv6 = true;
    content(data, at, storedBytes, fullLength);
    headerValid = true;
    payloadOffset = at;
    protocol = ipProtocol;
    return this;
  }

  private void content(ByteBuffer data, int at, int storedBytes, int fullLength) {
    this.buffer = data;
    this.start = at;
    this.stored = storedBytes;
    this.length = fullLength;
    this.truncated = fullLength > storedBytes;
  }

  /**
   * {@return the platform's source address array (4 or 16 bytes used), to fill before a {@code
   * fill}}
   */
  public byte[] sourceArray() {
    return source;
  }

  /** {@return the platform's destination address array, to fill before a {@code fill}} */
  public byte[] destinationArray() {
    return destination;
  }

  /** Marks the destination as learned from packet info. */
  public void setDestinationKnown() {
    hasDestination = true;
  }

  /**
   * Sets the interface the datagram arrived on.
   *
   * @param value the interface index
   */
  public void setIfindex(int value) {
    this.ifindex = value;
  }

  /**
   * Sets the hop limit from ancillary data (IPv6).
   *
   * @param value the hop limit, 0..255
   */
  public void setHopLimit(int value) {
    this.hopLimit = value;
  }

  /** {@return true for a datagram received over IPv6} */
  public boolean isIpv6() {
    return ipv6;
  }

  /** {@return the family} */
  public IpFamily family() {
    return ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
  }

  /**
   * Bytes in an address of this family: 4 or 16.
   *
   * @return 4 or 16
   */
  public int addressLength() {
    return ipv6 ? 16 : 4;
  }

  /** {@return the buffer holding the bytes} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /**
   * {@return the absolute offset of the first byte received: the IPv4 header, or the IPv6 payload}
   */
  public int start() {
    return start;
  }

  /**
   * Bytes stored from {@link #start()}.
   *
   * @return the number of bytes stored
   */
  public int storedLength() {
    return stored;
  }

  /** {@return the datagram's full length, even when it did not fit in the buffer} */
  public int length() {
    return length;
  }

  /** {@return true when the buffer was too small and the end was cut off} */
  public boolean isTruncated() {
    return truncated;
  }

  /** {@return false for an IPv4 datagram whose header is missing or invalid (never for IPv6)} */
  public boolean hasValidIpHeader() {
    return headerValid;
  }

  /** {@return the IP protocol of the payload} */
  public int protocol() {
    return protocol;
  }

  /** {@return the IPv4 header length, or 0 for IPv6 (whose header the socket strips)} */
  public int ipHeaderLength() {
    return payloadOffset - start;
  }

  /** {@return the absolute offset of the IP payload} */
  public int payloadOffset() {
    return payloadOffset;
  }

  /**
   * Bytes of IP payload stored.
   *
   * @return the number of payload bytes stored
   */
  public int payloadLength() {
    return start + stored - payloadOffset;
  }

  /** {@return the interface it arrived on, or 0 when unknown} */
  public int ifindex() {
    return ifindex;
  }

  /** {@return the TTL (IPv4) or hop limit (IPv6), or {@link #HOP_LIMIT_UNKNOWN}} */
  public int hopLimit() {
    return hopLimit;
  }

  /** {@return false when the destination was not learned (IPv6 without packet info)} */
  public boolean hasDestination() {
    return hasDestination;
  }

  /**
   * Copies the source address ({@link #addressLength()} bytes) into {@code dst} at {@code off}.
   *
   * @param dst the array to copy into
   * @param off where in it to start
   */
  public void copySource(byte[] dst, int off) {
    System.arraycopy(source, 0, dst, off, addressLength());
  }

  /**
   * Copies the destination address into {@code dst} at {@code off}.
   *
   * @param dst the array to copy into
   * @param off where in it to start
   */
  public void copyDestination(byte[] dst, int off) {
    System.arraycopy(destination, 0, dst, off, addressLength());
  }

  /**
   * Byte {@code i} of the source address.
   *
   * @param i the byte's index in the address
   * @return the byte
   */
  public byte sourceByte(int i) {
    return source[checkIndex(i)];
  }

  /**
   * Byte {@code i} of the destination address.
   *
   * @param i the byte's index in the address
   * @return the byte
   */
  public byte destinationByte(int i) {
    return destination[checkIndex(i)];
  }

  /** {@return the IPv4 source address as a network-order {@code int}} */
  public int sourceIpv4() {
    return ipv4(source);
  }

  /** {@return the IPv4 destination address as a network-order {@code int}} */
  public int destinationIpv4() {
    return ipv4(destination);
  }

  /**
   * {@return true when the source address equals {@code address} (4 or 16 bytes)}
   *
   * @param address the address to compare with, 4 or 16 bytes
   */
  public boolean sourceEquals(byte[] address) {
    return equal(source, address);
  }

  /**
   * {@return true when the destination address equals {@code address} (4 or 16 bytes)}
   *
   * @param address the address to compare with, 4 or 16 bytes
   */
  public boolean destinationEquals(byte[] address) {
    return equal(destination, address);
  }

  /** {@return true when the datagram was sent to a multicast group} */
  public boolean isMulticast() {
    return ipv6 ? (destination[0] & 0xff) == 0xff : (destination[0] & 0xf0) == 0xe0;
  }

  /** {@return the source as an {@link InetAddress} (allocates)} */
  public InetAddress source() {
    return toInetAddress(source);
  }

  /** {@return the destination as an {@link InetAddress} (allocates)} */
  public InetAddress destination() {
    return toInetAddress(destination);
  }

  private boolean equal(byte[] mine, byte[] address) {
    return address.length == addressLength()
        && Arrays.equals(mine, 0, address.length, address, 0, address.length);
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= addressLength()) {
      throw new IndexOutOfBoundsException("address byte " + i + " of " + addressLength());
    }
    return i;
  }

  private static boolean isZero(byte[] a, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int ipv4(byte[] a) {
    return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
  }

  private InetAddress toInetAddress(byte[] a) {
    try {
      return InetAddress.getByAddress(Arrays.copyOf(a, addressLength()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // impossible: the length is 4 or 16
    }
  }

  @Override
  public String toString() {
    return "ReceivedDatagram["
        + AddressText.of(source())
        + " -> "
        + AddressText.of(destination())
        + ", protocol="
        + protocol
        + ", ifindex="
        + ifindex
        + ", hopLimit="
        + hopLimit
        + ", length="
        + length
        + (truncated ? ", truncated" : "")
        + "]";
  }
}
