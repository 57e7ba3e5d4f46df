package org.failover4j.vrrp.codec;

/**
 * Offsets in the IPv4 header (RFC 791) that VRRP and AH need. keepalived writes this header itself
 * (IP_HDRINCL) so that the AH integrity check can cover it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |      TOS      |          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      TTL      |   Protocol    |        Header Checksum        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Source Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class Ipv4Header {

  static final int MIN_LENGTH = 20;
  static final int VERSION_IHL_OFFSET = 0;
  static final int TOS_OFFSET = 1;
  static final int TOTAL_LENGTH_OFFSET = 2;
  static final int IDENTIFICATION_OFFSET = 4;
  static final int FLAGS_FRAGMENT_OFFSET = 6;
  static final int TTL_OFFSET = 8;
  static final int PROTOCOL_OFFSET = 9;
  static final int CHECKSUM_OFFSET = 10;
  static final int SOURCE_OFFSET = 12;
  static final int DESTINATION_OFFSET = 16;

  /** Version 4, header length 5 words: keepalived never sends options. */
  static final int VERSION_IHL_NO_OPTIONS = 0x45;

  /** TOS keepalived sets: precedence "internetwork control". */
  static final int TOS_INTERNETWORK_CONTROL = 0xc0;

  /** 224.0.0.18, the VRRP multicast group, as a network-order int. */
  static final int VRRP_GROUP = 0xe0000012;

  private Ipv4Header() {}

  /** True for a class D (224.0.0.0/4) address given as a network-order int. */
  static boolean isMulticast(int address) {
    return (address >>> 28) == 0xE;
  }
}
