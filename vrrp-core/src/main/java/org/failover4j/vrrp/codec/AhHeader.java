package org.failover4j.vrrp.codec;

/**
 * Offsets in the IPsec Authentication Header (RFC 2402 §2) as keepalived uses it for VRRPv2: 24
 * bytes, a 96-bit ICV, the SPI set to the sender's IPv4 address.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Header   |  Payload Len  |          RESERVED             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Security Parameters Index (SPI)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Sequence Number Field                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Integrity Check Value (HMAC-MD5-96, 12 bytes)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class AhHeader {

  static final int LENGTH = 24;
  static final int NEXT_HEADER_OFFSET = 0;
  static final int PAYLOAD_LENGTH_OFFSET = 1;
  static final int RESERVED_OFFSET = 2;
  static final int SPI_OFFSET = 4;
  static final int SEQUENCE_OFFSET = 8;
  static final int ICV_OFFSET = 12;
  static final int ICV_LENGTH = 12;

  /** Length in 32-bit words minus 2: (12 + 12) / 4 - 2. */
  static final int PAYLOAD_LENGTH_HMAC_MD5_96 = 4;

  private AhHeader() {}
}
