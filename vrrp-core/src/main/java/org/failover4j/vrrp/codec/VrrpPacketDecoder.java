package org.failover4j.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.capture.IpPacket;

/**
 * A reusable flyweight over a received VRRP packet as a raw socket delivers it: over IPv4 the whole
 * datagram ({@code IPv4 header | [AH] | VRRP}), over IPv6 the VRRP message alone with the addresses
 * and hop limit from the socket's ancillary data. It exposes the IP and AH fields the checks need
 * and the VRRP message through {@link #advert()}.
 *
 * <p>Wrapping checks only that the headers are there (keepalived's {@code vrrp_get_header}): the
 * IPv4 header, the AH header when the protocol is 51, and the fixed 8 bytes of VRRP. Everything
 * else is left to {@link VrrpAdvertValidator}, which checks in keepalived's order. Nothing is
 * copied or allocated except by the methods that return {@link InetAddress}.
 */
public final class VrrpPacketDecoder {

  /** Hop limit value meaning "not known" (no IPV6_HOPLIMIT ancillary data): not checked. */
  public static final int HOP_LIMIT_UNKNOWN = ReceivedDatagram.HOP_LIMIT_UNKNOWN;

  private final VrrpAdvertDecoder advert = new VrrpAdvertDecoder();

  /** Describes packets handed over as bytes (captures, tests) the way a platform would. */
  private final ReceivedDatagram scratch = new ReceivedDatagram();

  private ByteBuffer buffer;
  private int offset;
  private int length;
  private IpFamily family;
  private int ipHeaderLength;
  private boolean hasAh;
  private int hopLimit;
  private byte[] source6;
  private byte[] destination6;

  /**
   * Wraps a datagram as the platform described it, reading its IP header no second time: over IPv4
   * the datagram from its header, over IPv6 the VRRP message with the addresses and hop limit the
   * platform learned. The datagram's address arrays are read in place, so the decoder is valid
   * until the holder is reused.
   *
   * @param datagram the datagram the platform received
   * @return this decoder
   * @throws MalformedPacketException with {@link VrrpDropReason#TRUNCATED} when the headers are cut
   *     short, {@link VrrpDropReason#BAD_IP_HEADER} for a header that is not IPv4, or {@link
   *     VrrpDropReason#NOT_VRRP} for a protocol other than 112 and 51
   */
  public VrrpPacketDecoder wrap(ReceivedDatagram datagram) {
    if (datagram.isIpv6()) {
      advert.wrap(
          datagram.buffer(), datagram.payloadOffset(), datagram.payloadLength(), IpFamily.IPV6);
      this.buffer = datagram.buffer();
      this.offset = datagram.payloadOffset();
      this.length = datagram.payloadLength();
      this.family = IpFamily.IPV6;
      this.ipHeaderLength = 0;
      this.hasAh = false;
      this.hopLimit = datagram.hopLimit();
      this.source6 = datagram.sourceArray();
      this.destination6 = datagram.destinationArray();
      return this;
    }
    ByteBuffer data = datagram.buffer();
    int start = datagram.start();
    int stored = datagram.storedLength();
    if (!datagram.hasValidIpHeader()) {
      throw badIpv4Header(data, start, stored);
    }
    int ihl = datagram.ipHeaderLength();
    int protocol = datagram.protocol();
    int vrrpAt;
    if (protocol == IpProtocol.VRRP) {
      vrrpAt = ihl;
    } else if (protocol == IpProtocol.AH) {
      vrrpAt = ihl + AhHeader.LENGTH;
    } else {
      throw new MalformedPacketException(
          VrrpDropReason.NOT_VRRP,
          "IP protocol " + protocol + " is neither VRRP (112) nor AH (51)");
    }
    int need = vrrpAt + VrrpAdvertDecoder.HEADER_LENGTH;
    if (stored < need) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated "
              + (protocol == IpProtocol.AH ? "AH " : "")
              + "VRRP packet: "
              + stored
              + " bytes, need "
              + need);
    }
    this.buffer = data;
    this.offset = start;
    this.length = stored;
    this.family = IpFamily.IPV4;
    this.ipHeaderLength = ihl;
    this.hasAh = protocol == IpProtocol.AH;
    this.hopLimit = datagram.hopLimit();
    this.source6 = null;
    this.destination6 = null;
    advert.wrap(data, start + vrrpAt, stored - vrrpAt, IpFamily.IPV4);
    return this;
  }

  /** The specific reason an IPv4 header was found invalid (on the drop path only). */
  private static MalformedPacketException badIpv4Header(ByteBuffer data, int start, int stored) {
    if (stored < Ipv4Header.MIN_LENGTH) {
      return new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated IPv4 header: " + stored + " bytes, need " + Ipv4Header.MIN_LENGTH);
    }
    int versionIhl = data.get(start + Ipv4Header.VERSION_IHL_OFFSET) & 0xFF;
    if (versionIhl >>> 4 != 4) {
      return new MalformedPacketException(
          VrrpDropReason.BAD_IP_HEADER, "IP version " + (versionIhl >>> 4) + ", expected 4");
    }
    int ihl = (versionIhl & 0x0F) * 4;
    if (ihl < Ipv4Header.MIN_LENGTH) {
      return new MalformedPacketException(
          VrrpDropReason.BAD_IP_HEADER, "IPv4 header length " + ihl + ", need at least 20");
    }
    return new MalformedPacketException(
        VrrpDropReason.TRUNCATED,
        "truncated IPv4 header: " + stored + " bytes, header length " + ihl);
  }

  /**
   * Wraps an IPv4 datagram starting at absolute {@code offset} of {@code buffer}, {@code length}
   * bytes as received.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the datagram or message
   * @param length how many bytes were received
   * @return this decoder
   * @throws MalformedPacketException as {@link #wrap(ReceivedDatagram)} does
   */
  public VrrpPacketDecoder wrapIpv4(ByteBuffer buffer, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "datagram of " + length + " bytes at " + offset + " lies outside the buffer");
    }
    scratch.reset(false);
    return wrap(scratch.fillIpv4(buffer, offset, length, length));
  }

  /**
   * Wraps an IPv6 VRRP message at absolute {@code offset} of {@code buffer}, {@code length} bytes,
   * received from {@code source} for {@code destination} (16 bytes each, copied) with {@code
   * hopLimit}, or {@link #HOP_LIMIT_UNKNOWN}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the datagram or message
   * @param length how many bytes were received
   * @param source the source address, 16 bytes
   * @param destination the destination address, 16 bytes
   * @param hopLimit the hop limit from ancillary data, or {@link #HOP_LIMIT_UNKNOWN}
   * @return this decoder
   * @throws MalformedPacketException ({@link VrrpDropReason#TRUNCATED}) under 8 bytes
   */
  public VrrpPacketDecoder wrapIpv6(
      ByteBuffer buffer, int offset, int length, byte[] source, byte[] destination, int hopLimit) {
    if (source.length != 16 || destination.length != 16) {
      throw new IllegalArgumentException("IPv6 addresses are 16 bytes");
    }
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "message of " + length + " bytes at " + offset + " lies outside the buffer");
    }
    scratch.reset(true);
    System.arraycopy(source, 0, scratch.sourceArray(), 0, 16);
    System.arraycopy(destination, 0, scratch.destinationArray(), 0, 16);
    scratch.setHopLimit(hopLimit);
    return wrap(scratch.fillIpv6(buffer, offset, length, length, IpProtocol.VRRP));
  }

  /**
   * Wraps the VRRP packet in a captured IP packet (tools and tests): the whole IPv4 datagram as far
   * as captured and declared, or the IPv6 payload with the header's addresses and hop limit.
   *
   * @param packet a wrapped captured IP packet
   * @return this decoder
   * @throws MalformedPacketException as {@link #wrapIpv4} and {@link #wrapIpv6} do
   */
  public VrrpPacketDecoder wrap(IpPacket packet) {
    ByteBuffer frame = packet.buffer();
    if (packet.version() == 4) {
      int available = packet.payloadOffset() + packet.payloadLength() - packet.headerOffset();
      return wrapIpv4(frame, packet.headerOffset(), available);
    }
    scratch.reset(true);
    frame.get(packet.sourceOffset(), scratch.sourceArray(), 0, 16);
    frame.get(packet.destinationOffset(), scratch.destinationArray(), 0, 16);
    scratch.setHopLimit(packet.ttl());
    int length = packet.payloadLength();
    return wrap(scratch.fillIpv6(frame, packet.payloadOffset(), length, length, IpProtocol.VRRP));
  }

  /** {@return the VRRP message} */
  public VrrpAdvertDecoder advert() {
    return advert;
  }

  /** {@return the family of the packet} */
  public IpFamily family() {
    return family;
  }

  /** {@return the buffer this flyweight reads} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return the absolute offset of the IPv4 header, or of the VRRP message for IPv6} */
  public int offset() {
    return offset;
  }

  /** {@return the received length: the whole IPv4 datagram, or the IPv6 payload} */
  public int length() {
    return length;
  }

  /**
   * IPv4: the header length (IHL × 4); 0 for IPv6, whose header the socket strips.
   *
   * @return the length in bytes
   */
  public int ipHeaderLength() {
    return ipHeaderLength;
  }

  /** {@return the IPv4 TTL or the IPv6 hop limit ({@link #HOP_LIMIT_UNKNOWN} if not known)} */
  public int ttl() {
    return hopLimit;
  }

  /**
   * IPv4: the total length field.
   *
   * @return the field's value
   */
  public int ipTotalLength() {
    requireIpv4();
    return ByteAccess.getU16(buffer, offset + Ipv4Header.TOTAL_LENGTH_OFFSET);
  }

  /**
   * IPv4: the identification field.
   *
   * @return the field's value
   */
  public int ipIdentification() {
    requireIpv4();
    return ByteAccess.getU16(buffer, offset + Ipv4Header.IDENTIFICATION_OFFSET);
  }

  /**
   * IPv4: the TOS byte.
   *
   * @return the byte
   */
  public int ipTos() {
    requireIpv4();
    return buffer.get(offset + Ipv4Header.TOS_OFFSET) & 0xFF;
  }

  /**
   * IPv4: the source address as a network-order int.
   *
   * @return the address
   */
  public int ipv4Source() {
    requireIpv4();
    return ByteAccess.getInt(buffer, offset + Ipv4Header.SOURCE_OFFSET);
  }

  /**
   * IPv4: the destination address as a network-order int.
   *
   * @return the address
   */
  public int ipv4Destination() {
    requireIpv4();
    return ByteAccess.getInt(buffer, offset + Ipv4Header.DESTINATION_OFFSET);
  }

  /**
   * Copies the source address (4 or 16 bytes) into {@code destination} at {@code at}.
   *
   * @param destination the array to copy into
   * @param at where in the array to start
   */
  public void copySource(byte[] destination, int at) {
    if (family == IpFamily.IPV4) {
      buffer.get(offset + Ipv4Header.SOURCE_OFFSET, destination, at, 4);
    } else {
      System.arraycopy(source6, 0, destination, at, 16);
    }
  }

  /** {@return the source address (allocates)} */
  public InetAddress source() {
    byte[] bytes = new byte[family.addressLength()];
    copySource(bytes, 0);
    return inet(bytes);
  }

  /** {@return the destination address (allocates)} */
  public InetAddress destination() {
    byte[] bytes = new byte[family.addressLength()];
    if (family == IpFamily.IPV4) {
      buffer.get(offset + Ipv4Header.DESTINATION_OFFSET, bytes, 0, 4);
    } else {
      System.arraycopy(destination6, 0, bytes, 0, 16);
    }
    return inet(bytes);
  }

  /** {@return true when the destination is a multicast address (224.0.0.0/4 or ff00::/8)} */
  public boolean isMulticastDestination() {
    return family == IpFamily.IPV4
        ? Ipv4Header.isMulticast(ipv4Destination())
        : (destination6[0] & 0xFF) == 0xFF;
  }

  /** {@return true when an AH header sits between the IPv4 header and VRRP} */
  public boolean hasAh() {
    return hasAh;
  }

  /** {@return the absolute offset of the AH header} */
  public int ahOffset() {
    requireAh();
    return offset + ipHeaderLength;
  }

  /**
   * AH: the next-header field (112 for VRRP).
   *
   * @return the field's value
   */
  public int ahNextHeader() {
    return buffer.get(ahOffset() + AhHeader.NEXT_HEADER_OFFSET) & 0xFF;
  }

  /**
   * AH: the payload-length field (4 for HMAC-MD5-96).
   *
   * @return the field's value
   */
  public int ahPayloadLength() {
    return buffer.get(ahOffset() + AhHeader.PAYLOAD_LENGTH_OFFSET) & 0xFF;
  }

  /**
   * AH: the SPI, which keepalived sets to the sender's IPv4 address.
   *
   * @return the SPI
   */
  public int ahSpi() {
    return ByteAccess.getInt(buffer, ahOffset() + AhHeader.SPI_OFFSET);
  }

  /**
   * AH: the sequence number (read it as unsigned).
   *
   * @return the sequence number
   */
  public int ahSequence() {
    return ByteAccess.getInt(buffer, ahOffset() + AhHeader.SEQUENCE_OFFSET);
  }

  /**
   * AH: copies the 12-byte ICV into {@code destination} at {@code at}.
   *
   * @param destination the array to copy into
   * @param at where in the array to start
   */
  public void copyAhIcv(byte[] destination, int at) {
    buffer.get(ahOffset() + AhHeader.ICV_OFFSET, destination, at, AhHeader.ICV_LENGTH);
  }

  /**
   * {@return true when the VRRP checksum verifies: over IPv4 for VRRPv2 on the message alone, for
   * VRRPv3 as {@code mode} says; over IPv6 always with the pseudo-header ({@code mode} is then
   * ignored)} False when the message is shorter than its header implies.
   *
   * @param mode the checksum mode to check VRRPv3 over IPv4 with
   */
  public boolean checksumValid(ChecksumMode mode) {
    return checksumValid(mode, 0);
  }

  /**
   * As {@link #checksumValid(ChecksumMode)} for a message followed by {@code trailerLength} bytes
   * of {@code auth_hmac} trailer: the IPv6 checksum covers them (the kernel sums the whole
   * payload), the IPv4 one does not (keepalived sums the message).
   *
   * @param mode the checksum mode to check VRRPv3 over IPv4 with
   * @param trailerLength 0, or the length of the trailer after the message
   * @return true when the checksum verifies
   */
  public boolean checksumValid(ChecksumMode mode, int trailerLength) {
    int message = advert.expectedLength();
    int covered = family == IpFamily.IPV6 ? message + trailerLength : message;
    if (advert.length() < message + trailerLength) {
      return false;
    }
    if (family == IpFamily.IPV4) {
      return VrrpChecksum.verifyIpv4(
          buffer,
          advert.offset(),
          covered,
          advert.version(),
          mode,
          ipv4Source(),
          ipv4Destination());
    }
    return VrrpChecksum.verifyIpv6(buffer, advert.offset(), covered, source6, destination6);
  }

  private void requireIpv4() {
    if (family != IpFamily.IPV4) {
      throw new MalformedPacketException(
          VrrpDropReason.ADDRESS_FAMILY_MISMATCH, "an IPv6 packet has no IPv4 header");
    }
  }

  private void requireAh() {
    if (!hasAh) {
      throw new MalformedPacketException(VrrpDropReason.AH_MISMATCH, "the packet has no AH header");
    }
  }

  private static InetAddress inet(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes always make an address", e);
    }
  }
}
