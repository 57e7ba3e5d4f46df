package org.failover4j.carp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.capture.IpPacket;

/**
 * A reusable flyweight over a received CARP packet: over IPv4 the whole datagram as a raw socket
 * delivers it ({@code IPv4 header | advert}), over IPv6 the advert alone with the source address
 * and hop limit from the socket's ancillary data. The advert itself is {@link #advert()}.
 *
 * <p>Wrapping checks that the IPv4 header is there, that the protocol is 112 and that exactly 36
 * bytes of advert follow; the rest is {@link CarpAdvertValidator}'s. Network byte order whatever
 * the buffer's order; nothing is copied or allocated except by {@link #source()}.
 */
public final class CarpPacketDecoder {

  /** Hop limit value meaning "not known" (no ancillary data): the TTL check then fails. */
  public static final int HOP_LIMIT_UNKNOWN = -1;

  /** The length of an IPv4 header without options. */
  public static final int IPV4_HEADER_LENGTH = Ipv4Header.MIN_LENGTH;

  private final CarpAdvertDecoder advert = new CarpAdvertDecoder();
  private final byte[] source = new byte[16];
  private int sourceLength;
  private int ttl;
  private ByteBuffer ipv4Buffer;
  private int ipv4Offset;

  /**
   * Wraps an IPv4 datagram at absolute {@code offset} of {@code buffer}, {@code length} bytes as
   * received.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the datagram or payload
   * @param length how many bytes were received
   * @return this decoder
   * @throws MalformedPacketException with {@link CarpDropReason#TRUNCATED}, {@link
   *     CarpDropReason#BAD_IP_HEADER}, {@link CarpDropReason#NOT_CARP} or {@link
   *     CarpDropReason#LENGTH_MISMATCH} (also when the IPv4 total length disagrees with {@code
   *     length})
   */
  public CarpPacketDecoder wrapIpv4(ByteBuffer buffer, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED,
          "datagram of " + length + " bytes at " + offset + " lies outside the buffer");
    }
    if (length < IPV4_HEADER_LENGTH) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED,
          "truncated IPv4 header: " + length + " bytes, need " + IPV4_HEADER_LENGTH);
    }
    int versionIhl = ByteAccess.getU8(buffer, offset);
    int ihl = (versionIhl & 0x0F) * 4;
    if (versionIhl >>> 4 != 4 || ihl < IPV4_HEADER_LENGTH) {
      throw new MalformedPacketException(
          CarpDropReason.BAD_IP_HEADER,
          "IP version " + (versionIhl >>> 4) + ", header length " + ihl + ": not IPv4");
    }
    int protocol = ByteAccess.getU8(buffer, offset + Ipv4Header.PROTOCOL_OFFSET);
    if (protocol != IpProtocol.VRRP) {
      throw new MalformedPacketException(
          CarpDropReason.NOT_CARP, "IP protocol " + protocol + " is not CARP (112)");
    }
    int totalLength = ByteAccess.getU16(buffer, offset + Ipv4Header.TOTAL_LENGTH_OFFSET);
    if (totalLength != length) {
      throw new MalformedPacketException(
          CarpDropReason.LENGTH_MISMATCH,
          "IPv4 total length " + totalLength + ", received " + length + " bytes");
    }
    if (length < ihl) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED, "truncated IPv4 header: " + length + " bytes, need " + ihl);
    }
    advert.wrap(buffer, offset + ihl, length - ihl);
    buffer.get(offset + Ipv4Header.SOURCE_OFFSET, source, 0, 4);
    this.sourceLength = 4;
    this.ttl = ByteAccess.getU8(buffer, offset + Ipv4Header.TTL_OFFSET);
    this.ipv4Buffer = buffer;
    this.ipv4Offset = offset;
    return this;
  }

  /**
   * Wraps an IPv6 CARP payload at absolute {@code offset} of {@code buffer}, {@code length} bytes,
   * received from {@code source16} (16 bytes, copied) with {@code hopLimit} or {@link
   * #HOP_LIMIT_UNKNOWN}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the datagram or payload
   * @param length how many bytes were received
   * @param source16 the 16-byte source address
   * @param hopLimit the hop limit from ancillary data
   * @return this decoder
   * @throws MalformedPacketException as {@link CarpAdvertDecoder#wrap}, or {@link
   *     CarpDropReason#BAD_IP_HEADER} when {@code source16} is not 16 bytes
   */
  public CarpPacketDecoder wrapIpv6(
      ByteBuffer buffer, int offset, int length, byte[] source16, int hopLimit) {
    if (source16 == null || source16.length != 16) {
      throw new MalformedPacketException(
          CarpDropReason.BAD_IP_HEADER, "an IPv6 source address has 16 bytes");
    }
    advert.wrap(buffer, offset, length);
    System.arraycopy(source16, 0, source, 0, 16);
    this.sourceLength = 16;
    this.ttl = hopLimit;
    this.ipv4Buffer = null;
    return this;
  }

  /**
   * Wraps the CARP advert in a captured IP packet (tools and tests).
   *
   * @param packet a wrapped captured IP packet
   * @return this decoder
   * @throws MalformedPacketException as the other {@code wrap} methods, or {@link
   *     CarpDropReason#TRUNCATED} when the capture cut the packet short
   */
  public CarpPacketDecoder wrap(IpPacket packet) {
    if (packet.protocol() != IpProtocol.VRRP) {
      throw new MalformedPacketException(
          CarpDropReason.NOT_CARP, "IP protocol " + packet.protocol() + " is not CARP (112)");
    }
    if (packet.isTruncated()) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED,
          "captured "
              + packet.payloadLength()
              + " of "
              + packet.declaredPayloadLength()
              + " bytes");
    }
    ByteBuffer frame = packet.buffer();
    if (packet.version() == 4) {
      return wrapIpv4(frame, packet.headerOffset(), packet.declaredLength());
    }
    advert.wrap(frame, packet.payloadOffset(), packet.payloadLength());
    frame.get(packet.sourceOffset(), source, 0, 16);
    this.sourceLength = 16;
    this.ttl = packet.ttl();
    this.ipv4Buffer = null;
    return this;
  }

  /** {@return the advert} */
  public CarpAdvertDecoder advert() {
    return advert;
  }

  /** {@return true for IPv4, false for IPv6} */
  public boolean isIpv4() {
    return sourceLength == 4;
  }

  /** {@return the IPv4 TTL or IPv6 hop limit ({@link #HOP_LIMIT_UNKNOWN} if not known)} */
  public int ttl() {
    return ttl;
  }

  /** {@return the length of the source address: 4 or 16} */
  public int sourceLength() {
    return sourceLength;
  }

  /**
   * Copies the source address (4 or 16 bytes) into {@code destination} at {@code at}.
   *
   * @param destination the array to copy into
   * @param at where in it to start
   */
  public void copySource(byte[] destination, int at) {
    System.arraycopy(source, 0, destination, at, sourceLength);
  }

  /**
   * {@return the source address byte {@code index} (0-based)}
   *
   * @param index the byte's index
   */
  public int sourceByte(int index) {
    return source[index] & 0xFF;
  }

  /**
   * {@return true when the source equals {@code address} (4 or 16 bytes)}
   *
   * @param address the address to compare with
   */
  public boolean sourceEquals(byte[] address) {
    if (address.length != sourceLength) {
      return false;
    }
    for (int i = 0; i < sourceLength; i++) {
      if (address[i] != source[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@return the source address (allocates)} */
  public InetAddress source() {
    byte[] bytes = new byte[sourceLength];
    copySource(bytes, 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes always make an address", e);
    }
  }

  /**
   * IPv4 only: the destination as a network-order int; 0 for IPv6.
   *
   * @return the destination
   */
  public int ipv4Destination() {
    return ipv4Buffer == null
        ? 0
        : ByteAccess.getInt(ipv4Buffer, ipv4Offset + Ipv4Header.DESTINATION_OFFSET);
  }
}
