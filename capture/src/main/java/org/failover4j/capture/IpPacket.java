package org.failover4j.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.Ipv4Header;

/**
 * A reusable view of the IPv4 or IPv6 packet inside a captured frame: where its header, addresses
 * and payload are, and which protocol the payload is. It never copies the frame.
 *
 * <pre>
 * IPv4 (RFC 791)                         IPv6 (RFC 8200)
 *  0       4       8              16              0       4              12              31
 * +-------+-------+---------------+--------------+ +-------+---------------+--------------+
 * |Version|  IHL  |      TOS      | Total Length | |Version| Traffic Class |  Flow Label  |
 * +-------+-------+---------------+--------------+ +-------+-------+-------+--------------+
 * |        Identification         |Flags|FragOff | |   Payload Length      |NextHdr|HopLim|
 * +---------------+---------------+--------------+ +-----------------------+-------+------+
 * |      TTL      |   Protocol    |   Checksum   | |       Source Address (16 bytes)      |
 * +---------------+---------------+--------------+ +--------------------------------------+
 * |              Source Address (4 bytes)        | |    Destination Address (16 bytes)    |
 * |           Destination Address (4 bytes)      | +--------------------------------------+
 * +----------------------------------------------+ extension headers (0, 43, 60, 44) ...
 * </pre>
 *
 * <p>The payload is bounded by the header's own length (IPv4 total length, IPv6 payload length), so
 * Ethernet padding is left out, and by the bytes captured; {@link #isTruncated()} says when the
 * capture holds less than the header announces. IPv6 hop-by-hop, routing, destination-options and
 * fragment headers are skipped; {@link #protocol()} is the header that follows them (an AH header
 * is not skipped: its protocol is {@link org.failover4j.api.IpProtocol#AH}).
 */
public final class IpPacket {

  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int ETHERTYPE_QINQ_OLD = 0x9100;

  private static final int ETHERNET_HEADER_LENGTH = 14;
  private static final int ETHERNET_TYPE_OFFSET = 12;
  private static final int VLAN_TAG_LENGTH = 4;
  private static final int SLL_HEADER_LENGTH = 16;
  private static final int SLL_PROTOCOL_OFFSET = 14;
  private static final int SLL2_HEADER_LENGTH = 20;
  private static final int SLL2_PROTOCOL_OFFSET = 0;

  private static final int IPV6_HEADER_LENGTH = 40;
  private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
  private static final int IPV6_NEXT_HEADER_OFFSET = 6;
  private static final int IPV6_HOP_LIMIT_OFFSET = 7;
  private static final int IPV6_SOURCE_OFFSET = 8;
  private static final int IPV6_DESTINATION_OFFSET = 24;
  private static final int IPV6_HOP_BY_HOP = 0;
  private static final int IPV6_ROUTING = 43;
  private static final int IPV6_FRAGMENT = 44;
  private static final int IPV6_DESTINATION_OPTIONS = 60;
  private static final int IPV6_FRAGMENT_HEADER_LENGTH = 8;

  private ByteBuffer buffer;
  private int start;
  private int version;
  private int headerLength;
  private int protocol;
  private int ttl;
  private int declaredLength;
  private int capturedLength;
  private int fragmentOffset;
  private boolean moreFragments;
  // Why the last wrap failed, kept as a format and numbers so that a failure allocates nothing.
  private String failureFormat;
  private int failureA;
  private int failureB;

  /**
   * Finds the IP packet in {@code frame}, a frame of link type {@code linkType}, between its
   * position and limit.
   *
   * @param linkType the frame's LINKTYPE value ({@link LinkType#code()})
   * @param frame the frame's bytes
   * @return false when the frame carries no IPv4 or IPv6 packet whose header was captured whole
   *     (ARP, another ethertype, an unsupported link type, a cut-off header)
   */
  public boolean wrapFrame(int linkType, ByteBuffer frame) {
    failureFormat = null;
    int offset = frame.position();
    int length = frame.remaining();
    LinkType type = LinkType.find(linkType);
    if (type == null) {
      return fail("link type %d is not Ethernet, Linux cooked or raw IP", linkType, 0);
    }
    return switch (type) {
      case RAW, IPV4, IPV6 -> wrapIp(frame, offset, length);
      case ETHERNET -> afterEthertype(frame, offset, length);
      case LINUX_SLL -> cooked(frame, offset, length, SLL_HEADER_LENGTH, SLL_PROTOCOL_OFFSET);
      case LINUX_SLL2 -> cooked(frame, offset, length, SLL2_HEADER_LENGTH, SLL2_PROTOCOL_OFFSET);
    };
  }

  /**
   * As {@link #wrapFrame(int, ByteBuffer)} for a frame read from a capture file.
   *
   * @param frame a frame from a {@link CaptureReader}
   * @return false when the frame carries no whole IPv4 or IPv6 header
   */
  public boolean wrapFrame(CapturedFrame frame) {
    return wrapFrame(frame.linkType(), frame.data());
  }

  /**
   * Wraps an IP packet that starts at absolute {@code offset} of {@code buffer} with {@code length}
   * bytes available.
   *
   * @param buffer the bytes
   * @param offset where the IP header starts
   * @param length how many bytes from there were captured
   * @return false when it is not an IPv4 or IPv6 packet whose header lies within those bytes
   */
  public boolean wrapIp(ByteBuffer buffer, int offset, int length) {
    failureFormat = null;
    if (length < 1 || offset < 0 || offset + length > buffer.limit()) {
      return fail("no IP header: %d bytes", Math.max(0, length), 0);
    }
    int v = (buffer.get(offset) & 0xFF) >>> 4;
    this.buffer = buffer;
    this.start = offset;
    this.capturedLength = length;
    this.version = v;
    if (v == 4) {
      return wrapIpv4();
    }
    return v == 6 ? wrapIpv6() : fail("IP version %d, not 4 or 6", v, 0);
  }

  /**
   * Why the last {@code wrapFrame} or {@code wrapIp} found no IP packet although the frame
   * announced one: an unknown link type, a link header or IPv4/IPv6 header cut short or
   * inconsistent, such as {@code IPv4 header length 12, below 20}. Null after a success, and after
   * a frame that carries another protocol (ARP, another ethertype), which is no error.
   *
   * @return the reason, or null
   */
  public String failure() {
    return failureFormat == null
        ? null
        : String.format(Locale.ROOT, failureFormat, failureA, failureB);
  }

  private boolean fail(String format, int a, int b) {
    failureFormat = format;
    failureA = a;
    failureB = b;
    return false;
  }

  private boolean cooked(ByteBuffer frame, int offset, int length, int header, int protocolAt) {
    if (length < header) {
      return fail("Linux cooked header cut short: %d bytes, need %d", length, header);
    }
    int protocol = ByteAccess.getU16(frame, offset + protocolAt);
    return ethertype(frame, offset + header, length - header, protocol);
  }

  private boolean afterEthertype(ByteBuffer frame, int offset, int length) {
    if (length < ETHERNET_HEADER_LENGTH) {
      return fail("Ethernet header cut short: %d bytes, need %d", length, ETHERNET_HEADER_LENGTH);
    }
    int type = ByteAccess.getU16(frame, offset + ETHERNET_TYPE_OFFSET);
    return ethertype(frame, offset + ETHERNET_HEADER_LENGTH, length - ETHERNET_HEADER_LENGTH, type);
  }

  /** Follows VLAN tags (each consumes 4 bytes, so this ends) to the IP packet, if any. */
  private boolean ethertype(ByteBuffer frame, int offset, int length, int type) {
    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
      if (length < VLAN_TAG_LENGTH) {
        return fail("VLAN tag cut short: %d bytes, need %d", length, VLAN_TAG_LENGTH);
      }
      type = ByteAccess.getU16(frame, offset + 2);
      offset += VLAN_TAG_LENGTH;
      length -= VLAN_TAG_LENGTH;
    }
    if (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) {
      int expected = type == ETHERTYPE_IPV4 ? 4 : 6;
      if (!wrapIp(frame, offset, length)) {
        return false;
      }
      return version == expected
          || fail("IP version %d behind the ethertype of IPv%d", version, expected);
    }
    return false;
  }

  private boolean wrapIpv4() {
    if (capturedLength < Ipv4Header.MIN_LENGTH) {
      return fail(
          "IPv4 header cut short: %d bytes, need %d", capturedLength, Ipv4Header.MIN_LENGTH);
    }
    int ihl = (buffer.get(start) & 0x0F) * 4;
    int total = ByteAccess.getU16(buffer, start + Ipv4Header.TOTAL_LENGTH_OFFSET);
    if (ihl < Ipv4Header.MIN_LENGTH) {
      return fail("IPv4 header length %d, below %d", ihl, Ipv4Header.MIN_LENGTH);
    }
    if (ihl > capturedLength) {
      return fail("IPv4 header length %d, but %d bytes captured", ihl, capturedLength);
    }
    if (total < ihl) {
      return fail("IPv4 total length %d, shorter than its %d-byte header", total, ihl);
    }
    int flags = ByteAccess.getU16(buffer, start + Ipv4Header.FLAGS_FRAGMENT_OFFSET);
    headerLength = ihl;
    declaredLength = total;
    protocol = buffer.get(start + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
    ttl = buffer.get(start + Ipv4Header.TTL_OFFSET) & 0xFF;
    fragmentOffset = (flags & Ipv4Header.FRAGMENT_OFFSET_MASK) * 8;
    moreFragments = (flags & Ipv4Header.MORE_FRAGMENTS) != 0;
    return true;
  }

  private boolean wrapIpv6() {
    if (capturedLength < IPV6_HEADER_LENGTH) {
      return fail("IPv6 header cut short: %d bytes, need %d", capturedLength, IPV6_HEADER_LENGTH);
    }
    declaredLength =
        IPV6_HEADER_LENGTH + ByteAccess.getU16(buffer, start + IPV6_PAYLOAD_LENGTH_OFFSET);
    ttl = buffer.get(start + IPV6_HOP_LIMIT_OFFSET) & 0xFF;
    fragmentOffset = 0;
    moreFragments = false;
    int next = buffer.get(start + IPV6_NEXT_HEADER_OFFSET) & 0xFF;
    int at = IPV6_HEADER_LENGTH;
    int end = Math.min(declaredLength, capturedLength);
    // Every extension header is at least 8 bytes long, so this loop ends.
    while (next == IPV6_HOP_BY_HOP
        || next == IPV6_ROUTING
        || next == IPV6_DESTINATION_OPTIONS
        || next == IPV6_FRAGMENT) {
      if (at + 8 > end) {
        return fail("IPv6 extension header at byte %d runs past the %d bytes", at, end);
      }
      int length;
      if (next == IPV6_FRAGMENT) {
        int field = ByteAccess.getU16(buffer, start + at + 2);
        fragmentOffset = field & ~7;
        moreFragments = (field & 1) != 0;
        length = IPV6_FRAGMENT_HEADER_LENGTH;
      } else {
        length = ((buffer.get(start + at + 1) & 0xFF) + 1) * 8;
      }
      next = buffer.get(start + at) & 0xFF;
      at += length;
    }
    if (at > end) {
      return fail("IPv6 extension headers end at byte %d, past the %d bytes", at, end);
    }
    headerLength = at;
    protocol = next;
    return true;
  }

  /** {@return the buffer this view reads} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return 4 or 6} */
  public int version() {
    return version;
  }

  /** {@return the absolute offset of the IP header in {@link #buffer()}} */
  public int headerOffset() {
    return start;
  }

  /**
   * {@return the length of the IP header: IHL × 4 for IPv4; 40 plus the skipped extension headers
   * for IPv6}
   */
  public int headerLength() {
    return headerLength;
  }

  /**
   * {@return the protocol of the payload (IPv6: the header after the skipped extension headers)}
   */
  public int protocol() {
    return protocol;
  }

  /** {@return the IPv4 TTL or the IPv6 hop limit} */
  public int ttl() {
    return ttl;
  }

  /** {@return the packet's length as its header declares it, header included} */
  public int declaredLength() {
    return declaredLength;
  }

  /** {@return true when fewer bytes were captured than the header declares} */
  public boolean isTruncated() {
    return capturedLength < declaredLength;
  }

  /** {@return true for any fragment of a fragmented packet, the first one included} */
  public boolean isFragment() {
    return moreFragments || fragmentOffset != 0;
  }

  /** {@return the byte offset of this fragment's data in the original packet (0 for the first)} */
  public int fragmentOffset() {
    return fragmentOffset;
  }

  /** {@return the absolute offset of the payload in {@link #buffer()}} */
  public int payloadOffset() {
    return start + headerLength;
  }

  /** {@return the payload bytes present: as declared, unless fewer were captured} */
  public int payloadLength() {
    return Math.max(0, Math.min(declaredLength, capturedLength) - headerLength);
  }

  /** {@return the payload length the header declares, whatever was captured} */
  public int declaredPayloadLength() {
    return Math.max(0, declaredLength - headerLength);
  }

  /** {@return 4 or 16} */
  public int addressLength() {
    return version == 4 ? 4 : 16;
  }

  /** {@return the absolute offset of the source address in {@link #buffer()}} */
  public int sourceOffset() {
    return start + (version == 4 ? Ipv4Header.SOURCE_OFFSET : IPV6_SOURCE_OFFSET);
  }

  /** {@return the absolute offset of the destination address in {@link #buffer()}} */
  public int destinationOffset() {
    return start + (version == 4 ? Ipv4Header.DESTINATION_OFFSET : IPV6_DESTINATION_OFFSET);
  }

  /** {@return the source address (allocates)} */
  public InetAddress source() {
    return address(sourceOffset());
  }

  /** {@return the destination address (allocates)} */
  public InetAddress destination() {
    return address(destinationOffset());
  }

  private InetAddress address(int offset) {
    byte[] bytes = new byte[addressLength()];
    buffer.get(offset, bytes);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }
}
