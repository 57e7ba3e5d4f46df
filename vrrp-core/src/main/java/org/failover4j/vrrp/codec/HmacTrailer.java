package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;

/**
 * Offsets in keepalived 2.4's {@code auth_hmac} trailer (draft-cassen-vrrp-auth-hmac), the 28 bytes
 * that follow the VRRP message, VRRPv2 authentication data included, on v2 and v3, IPv4 and IPv6.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ext Type (1) |    Key ID     |          Reserved (0)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Seconds (UTC, since 1970)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Subseconds (1/65536 s)    |            Counter            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          HMAC-SHA256 truncated to 128 bits (16 bytes)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Seconds, subseconds and counter read together as one 64-bit sequence number.
 */
final class HmacTrailer {

  static final int LENGTH = 28;
  static final int EXT_TYPE_OFFSET = 0;
  static final int KEY_ID_OFFSET = 1;
  static final int RESERVED_OFFSET = 2;
  static final int SEQUENCE_OFFSET = 4;
  static final int HMAC_OFFSET = 12;
  static final int HMAC_LENGTH = 16;

  /** The only scheme: HMAC-SHA256 truncated to 128 bits. */
  static final int TYPE_HMAC_SHA256_128 = 1;

  /** The pseudo-header the HMAC covers first: family, version, VRID, 0, source address. */
  static final int PSEUDO_HEADER_LENGTH = 20;

  private HmacTrailer() {}

  /** {@return true when the scheme is known and the reserved field zero, as keepalived checks} */
  static boolean wellFormed(ByteBuffer buffer, int at) {
    return (buffer.get(at + EXT_TYPE_OFFSET) & 0xFF) == TYPE_HMAC_SHA256_128
        && ByteAccess.getU16(buffer, at + RESERVED_OFFSET) == 0;
  }

  static int keyId(ByteBuffer buffer, int at) {
    return buffer.get(at + KEY_ID_OFFSET) & 0xFF;
  }

  static long sequence(ByteBuffer buffer, int at) {
    return ByteAccess.getLong(buffer, at + SEQUENCE_OFFSET);
  }
}
