package org.failover4j.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.failover4j.api.AddressText;

/**
 * What {@link RawIpSocket#receive} learned about a packet besides its bytes: source and destination
 * addresses, the interface it came in on and its TTL / hop limit. Reused from packet to packet: the
 * accessors that return arrays copy into the caller's, so reading allocates nothing (except {@link
 * #source()} and {@link #destination()}, which build {@link InetAddress}es).
 *
 * <p>IPv4: raw sockets deliver the IP header, so the packet buffer starts with it, {@link
 * #payloadOffset()} is the header length and the TTL comes from the header; the interface and the
 * header's destination come from {@code IP_PKTINFO}. IPv6: the buffer starts at the payload, the
 * destination and interface come from {@code IPV6_PKTINFO} and the hop limit from {@code
 * IPV6_HOPLIMIT}, when the socket asked for them.
 */
public final class ReceivedPacket {

  private final byte[] source = new byte[16];
  private final byte[] destination = new byte[16];
  private boolean ipv6;
  private int length;
  private boolean truncated;
  private int ifindex;
  private int hopLimit;
  private int payloadOffset;
  private boolean hasDestination;

  /** An empty record, to be filled by {@link RawIpSocket#receive}. */
  public ReceivedPacket() {
    reset(false);
  }

  void reset(boolean ipv6) {
    this.ipv6 = ipv6;
    length = 0;
    truncated = false;
    ifindex = 0;
    hopLimit = -1;
    payloadOffset = 0;
    hasDestination = false;
    Arrays.fill(source, (byte) 0);
    Arrays.fill(destination, (byte) 0);
  }

  void received(int length, boolean truncated) {
    this.length = length;
    this.truncated = truncated;
  }

  byte[] sourceArray() {
    return source;
  }

  byte[] destinationArray() {
    return destination;
  }

  void destinationKnown() {
    hasDestination = true;
  }

  void ifindex(int ifindex) {
    this.ifindex = ifindex;
  }

  void hopLimit(int hopLimit) {
    this.hopLimit = hopLimit;
  }

  void payloadOffset(int payloadOffset) {
    this.payloadOffset = payloadOffset;
  }

  /** True for a packet received on an IPv6 socket. */
  public boolean isIpv6() {
    return ipv6;
  }

  /** Bytes in an address of this family: 4 or 16. */
  public int addressLength() {
    return ipv6 ? 16 : 4;
  }

  /** The packet's full length, even when it did not fit in the buffer. */
  public int length() {
    return length;
  }

  /** True when the buffer was too small and the packet's end was cut off. */
  public boolean isTruncated() {
    return truncated;
  }

  /** The interface the packet arrived on, or 0 when the socket did not ask for packet info. */
  public int ifindex() {
    return ifindex;
  }

  /**
   * The TTL (IPv4, from the header) or hop limit (IPv6, from {@code IPV6_HOPLIMIT}), or -1 when
   * unknown.
   */
  public int hopLimit() {
    return hopLimit;
  }

  /** Where the IP payload starts in the received bytes: the IPv4 header length, 0 for IPv6. */
  public int payloadOffset() {
    return payloadOffset;
  }

  /** False when the destination was not learned (IPv6 without {@code IPV6_RECVPKTINFO}). */
  public boolean hasDestination() {
    return hasDestination;
  }

  /** Copies the source address ({@link #addressLength()} bytes) into {@code dst} at {@code off}. */
  public void copySource(byte[] dst, int off) {
    System.arraycopy(source, 0, dst, off, addressLength());
  }

  /** Copies the destination address into {@code dst} at {@code off}. */
  public void copyDestination(byte[] dst, int off) {
    System.arraycopy(destination, 0, dst, off, addressLength());
  }

  /** Byte {@code i} of the source address. */
  public byte sourceByte(int i) {
    return source[checkIndex(i)];
  }

  /** Byte {@code i} of the destination address. */
  public byte destinationByte(int i) {
    return destination[checkIndex(i)];
  }

  /** The IPv4 source address as a big-endian {@code int} (as in an AH SPI). */
  public int sourceIpv4() {
    return ipv4(source);
  }

  /** The IPv4 destination address as a big-endian {@code int}. */
  public int destinationIpv4() {
    return ipv4(destination);
  }

  /** True when the source address equals {@code address} (4 or 16 bytes). */
  public boolean sourceEquals(byte[] address) {
    return equal(source, address);
  }

  /** True when the destination address equals {@code address} (4 or 16 bytes). */
  public boolean destinationEquals(byte[] address) {
    return equal(destination, address);
  }

  /** True when the packet was sent to a multicast group. */
  public boolean isMulticast() {
    return ipv6 ? (destination[0] & 0xff) == 0xff : (destination[0] & 0xf0) == 0xe0;
  }

  /** The source as an {@link InetAddress} (allocates). */
  public InetAddress source() {
    return toInetAddress(source);
  }

  /** The destination as an {@link InetAddress} (allocates). */
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
    return "ReceivedPacket["
        + AddressText.of(source())
        + " -> "
        + AddressText.of(destination())
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
