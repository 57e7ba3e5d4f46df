package org.failover4j.netlink;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.IpProtocol;

/**
 * Writes an unsolicited IPv6 neighbour advertisement (RFC 4861 §7.2.6) as an Ethernet frame: it
 * tells all nodes that {@code address} now lives at {@code mac}. The layout follows keepalived
 * 2.2.7: sent from the address itself to ff02::1 with hop limit 255, Override set, Solicited clear,
 * Router as asked, and a target link-layer address option. Allocates nothing.
 *
 * <pre>
 * Ethernet (14)  33:33:00:00:00:01 | source MAC | 86dd
 * IPv6 (40)      6 | 0 | 0 | payload length 32 | next header 58 | hop limit 255 |
 *                source = address | destination ff02::1
 * ICMPv6 (24)    type 136 | code 0 | checksum | R S O flags + 29 reserved bits | target = address
 * option (8)     type 2 (target link-layer address) | length 1 (x 8 bytes) | MAC
 * </pre>
 */
public final class UnsolicitedNeighborAdvertisement {

  /** The frame's length. */
  public static final int LENGTH = 86;

  /** {@code ETH_P_IPV6}. */
  public static final int ETHERTYPE_IPV6 = 0x86dd;

  /** The Router flag: the sender is a router. */
  public static final int FLAG_ROUTER = 0x80;

  /** The Solicited flag (never set here). */
  public static final int FLAG_SOLICITED = 0x40;

  /** The Override flag: replace cached link-layer addresses. */
  public static final int FLAG_OVERRIDE = 0x20;

  private static final MacAddress ALL_NODES_MAC = MacAddress.of(0x3333_0000_0001L);
  private static final int ND_NEIGHBOR_ADVERT = 136;
  private static final int ND_OPT_TARGET_LINKADDR = 2;
  private static final int HOP_LIMIT = 255;
  private static final int ICMP_LENGTH = 32;

  private static final int ETH_DESTINATION = 0;
  private static final int ETH_SOURCE = 6;
  private static final int ETH_TYPE = 12;
  private static final int IP6 = 14;
  private static final int IP6_PAYLOAD_LENGTH = IP6 + 4;
  private static final int IP6_NEXT_HEADER = IP6 + 6;
  private static final int IP6_HOP_LIMIT = IP6 + 7;
  private static final int IP6_SOURCE = IP6 + 8;
  private static final int IP6_DESTINATION = IP6 + 24;
  private static final int ICMP = IP6 + 40;
  private static final int ICMP_CHECKSUM = ICMP + 2;
  private static final int NA_FLAGS = ICMP + 4;
  private static final int NA_TARGET = ICMP + 8;
  private static final int OPTION = ICMP + 24;

  private UnsolicitedNeighborAdvertisement() {}

  /**
   * Writes the frame at absolute {@code index} of {@code frame} ({@link #LENGTH} bytes) for the
   * IPv6 {@code address} (16 bytes) at {@code mac}.
   *
   * @param frame the buffer to write into
   * @param index the absolute offset of the frame
   * @param mac the sender's hardware address
   * @param address the IPv6 address announced, 16 bytes
   * @param router the advertisement's router flag
   * @return {@link #LENGTH}
   */
  public static int write(
      ByteBuffer frame, int index, MacAddress mac, byte[] address, boolean router) {
    if (address.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 bytes, got " + address.length);
    }
    for (int i = 0; i < LENGTH; i++) {
      frame.put(index + i, (byte) 0);
    }
    ALL_NODES_MAC.writeTo(frame, index + ETH_DESTINATION);
    mac.writeTo(frame, index + ETH_SOURCE);
    ByteAccess.put16(frame, index + ETH_TYPE, ETHERTYPE_IPV6);

    frame.put(index + IP6, (byte) 0x60);
    ByteAccess.put16(frame, index + IP6_PAYLOAD_LENGTH, ICMP_LENGTH);
    frame.put(index + IP6_NEXT_HEADER, (byte) IpProtocol.ICMPV6);
    frame.put(index + IP6_HOP_LIMIT, (byte) HOP_LIMIT);
    frame.put(index + IP6_SOURCE, address);
    ByteAccess.put16(frame, index + IP6_DESTINATION, 0xff02);
    frame.put(index + IP6_DESTINATION + 15, (byte) 1);

    frame.put(index + ICMP, (byte) ND_NEIGHBOR_ADVERT);
    frame.put(index + NA_FLAGS, (byte) (FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0)));
    frame.put(index + NA_TARGET, address);
    frame.put(index + OPTION, (byte) ND_OPT_TARGET_LINKADDR);
    frame.put(index + OPTION + 1, (byte) 1);
    mac.writeTo(frame, index + OPTION + 2);

    int sum =
        InternetChecksum.addIpv6PseudoHeader(
            0, frame, index + IP6_SOURCE, index + IP6_DESTINATION, IpProtocol.ICMPV6, ICMP_LENGTH);
    sum = InternetChecksum.add(sum, frame, index + ICMP, ICMP_LENGTH);
    ByteAccess.put16(frame, index + ICMP_CHECKSUM, InternetChecksum.finish(sum));
    return LENGTH;
  }
}
