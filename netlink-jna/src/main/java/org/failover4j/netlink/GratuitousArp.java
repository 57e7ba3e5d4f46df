package org.failover4j.netlink;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;

/**
 * Writes a gratuitous ARP Ethernet frame: it tells the LAN that {@code address} now lives at {@code
 * mac}. Allocates nothing.
 *
 * <pre>
 *  0                   6                  12      14
 * +-------------------+-------------------+-------+
 * | ff:ff:ff:ff:ff:ff |  source MAC       | 0806  |   Ethernet
 * +-------+-------+---+---+-------+-------+-------+
 * | htype | ptype |hln|pln|  op   |                    ARP (RFC 826), 28 bytes:
 * |   1   | 0800  | 6 | 4 | 1 / 2 |                    sha = MAC, spa = address,
 * +-------+-------+---+---+-------+                    tha = broadcast (request) or MAC (reply),
 * | sha (6) | spa (4) | tha (6) | tpa (4) = spa |      tpa = address
 * </pre>
 *
 * The request form is byte for byte what keepalived 2.2.7 sends (42 bytes, no padding).
 */
public final class GratuitousArp {

  /** The frame's length. */
  public static final int LENGTH = 42;

  /** {@code ETH_P_ARP}. */
  public static final int ETHERTYPE_ARP = 0x0806;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ARPHRD_ETHER = 1;
  private static final int ETH_DESTINATION = 0;
  private static final int ETH_SOURCE = 6;
  private static final int ETH_TYPE = 12;
  private static final int ARP = 14;
  private static final int ARP_HTYPE = ARP;
  private static final int ARP_PTYPE = ARP + 2;
  private static final int ARP_HLEN = ARP + 4;
  private static final int ARP_PLEN = ARP + 5;
  private static final int ARP_OP = ARP + 6;
  private static final int ARP_SHA = ARP + 8;
  private static final int ARP_SPA = ARP + 14;
  private static final int ARP_THA = ARP + 18;
  private static final int ARP_TPA = ARP + 24;

  private GratuitousArp() {}

  /**
   * Writes the frame at absolute {@code index} of {@code frame} ({@link #LENGTH} bytes), announcing
   * the IPv4 {@code address} (4 bytes) at {@code mac}.
   *
   * @param frame the buffer to write into
   * @param index the absolute offset of the frame
   * @param mac the sender's hardware address
   * @param address the IPv4 address announced, 4 bytes
   * @param operation request or reply
   * @return {@link #LENGTH}
   */
  public static int write(
      ByteBuffer frame, int index, MacAddress mac, byte[] address, ArpOperation operation) {
    if (address.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 bytes, got " + address.length);
    }
    MacAddress.BROADCAST.writeTo(frame, index + ETH_DESTINATION);
    mac.writeTo(frame, index + ETH_SOURCE);
    ByteAccess.put16(frame, index + ETH_TYPE, ETHERTYPE_ARP);
    ByteAccess.put16(frame, index + ARP_HTYPE, ARPHRD_ETHER);
    ByteAccess.put16(frame, index + ARP_PTYPE, ETHERTYPE_IPV4);
    frame.put(index + ARP_HLEN, (byte) MacAddress.LENGTH);
    frame.put(index + ARP_PLEN, (byte) 4);
    ByteAccess.put16(frame, index + ARP_OP, operation.code());
    mac.writeTo(frame, index + ARP_SHA);
    frame.put(index + ARP_SPA, address);
    (operation == ArpOperation.REQUEST ? MacAddress.BROADCAST : mac)
        .writeTo(frame, index + ARP_THA);
    frame.put(index + ARP_TPA, address);
    return LENGTH;
  }
}
